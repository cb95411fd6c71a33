using Microsoft.AspNetCore.Mvc;

namespace Portal.Infrastructure.Pipeline;

/// <summary>
/// A page that reads what it shows before any of its handlers runs (<see cref="ValidationFilter"/> calls
/// <see cref="LoadAsync"/> before every handler, GET or POST, and again when a post is refused).
/// </summary>
public interface IPageWithData
{
    /// <summary>Reads what the page shows; false when the record in the route does not exist (→ <see cref="Missing"/>).</summary>
    Task<bool> LoadAsync(CancellationToken cancellationToken);

    /// <summary>The answer when the record is gone.</summary>
    IActionResult Missing();
}
