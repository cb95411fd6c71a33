using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Shared;

/// <summary>
/// A page with display data. <see cref="ValidationFilter"/> calls <see cref="LoadAsync"/> before every handler (GET and
/// POST) and again when a post is refused, so handlers never load and an invalid post always has its data to render.
/// </summary>
public abstract class PortalPage : PageModel, IPageWithData
{
    /// <summary>Reads what the page shows; false when the record in the route does not exist (→ <see cref="Missing"/>).</summary>
    public abstract Task<bool> LoadAsync(CancellationToken cancellationToken);

    /// <summary>The answer when the record is gone: the 404 page, unless the page says it differently.</summary>
    public virtual IActionResult Missing() => NotFound();
}

/// <summary>A page about one record that a query reads: the record is <see cref="Record"/>, or the page answers 404.</summary>
public abstract class RecordPage<TRecord>(ISender sender) : PortalPage
    where TRecord : class
{
    protected ISender Sender { get; } = sender;

    protected TRecord Record { get; private set; } = null!;

    /// <summary>The query that reads the record from the route values; it answers null when there is none.</summary>
    protected abstract IQuery<TRecord?> Find();

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await Sender.Send(Find(), cancellationToken) is not { } record)
        {
            return false;
        }

        Record = record;
        return true;
    }
}
