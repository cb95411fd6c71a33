using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

/// <summary>
/// What the search boxes and date filters of the lists share: a LIKE pattern that matches the typed text literally
/// (a typed % or _ is not a wildcard), and a UTC date range that accepts any date a form can send.
/// </summary>
public static class Search
{
    public const string Escape = "\\";

    /// <summary>"%text%" in lower case, with LIKE's special characters escaped by <see cref="Escape"/>.</summary>
    public static string ContainsPattern(string text) =>
        "%" + text.Trim().ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The first moment after <paramref name="day"/>, or null for the last day there is.</summary>
    public static DateTimeOffset? EndOf(DateOnly day) => day < DateOnly.MaxValue ? StartOf(day.AddDays(1)) : null;
}
