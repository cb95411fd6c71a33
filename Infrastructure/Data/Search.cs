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

    /// <summary>Entries of the log on or after <paramref name="from"/> and on or before <paramref name="to"/> (UTC days), containing <paramref name="text"/>.</summary>
    public static IQueryable<ActivityLogEntry> Matching(this IQueryable<ActivityLogEntry> entries, string? text, DateOnly? from, DateOnly? to)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = ContainsPattern(text);
            entries = entries.Where(e => EF.Functions.Like(e.Description.ToLower(), pattern, Escape));
        }

        if (from is { } first)
        {
            var start = StartOf(first);
            entries = entries.Where(e => e.At >= start);
        }

        if (to is { } last && EndOf(last) is { } end)
        {
            entries = entries.Where(e => e.At < end);
        }

        return entries;
    }
}
