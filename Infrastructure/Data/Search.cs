using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

/// <summary>
/// What the search boxes of the lists share: a LIKE pattern that matches the typed text literally (a typed % or _ is
/// not a wildcard). Date filters are days in the reader's zone (<see cref="Dates.ZonedDates.StartOf"/>).
/// </summary>
public static class Search
{
    public const string Escape = "\\";

    /// <summary>"%text%" in lower case, with LIKE's special characters escaped by <see cref="Escape"/>.</summary>
    public static string ContainsPattern(string text) =>
        "%" + text.Trim().ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
