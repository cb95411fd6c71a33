using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Web;

namespace Portal.Infrastructure.Activity;

/// <summary>
/// The activity log read newest first by (At, Id), a page at a time from a key: the first condition of each filter
/// is a range on the index's columns, so the database starts reading at the key instead of counting up to it.
/// </summary>
public static class ActivityPaging
{
    public static IQueryable<ActivityLogEntry> OlderThan(this IQueryable<ActivityLogEntry> entries, MomentKey? key)
    {
        if (key is { } k)
        {
            var at = k.At;
            var id = k.Id;
            entries = entries.Where(e => e.At <= at && (e.At < at || e.Id < id));
        }

        return entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }

    public static IQueryable<ActivityLogEntry> NewerThan(this IQueryable<ActivityLogEntry> entries, MomentKey key)
    {
        var at = key.At;
        var id = key.Id;
        return entries.Where(e => e.At >= at && (e.At > at || e.Id > id)).OrderBy(e => e.At).ThenBy(e => e.Id);
    }

    /// <summary>Entries on or after <paramref name="from"/> and on or before <paramref name="to"/>, days in the reader's zone.</summary>
    public static IQueryable<ActivityLogEntry> Between(this IQueryable<ActivityLogEntry> entries, DateOnly? from, DateOnly? to, ZonedDates dates)
    {
        if (from is { } first)
        {
            var start = dates.StartOf(first);
            entries = entries.Where(e => e.At >= start);
        }

        if (to is { } last && dates.EndOf(last) is { } end)
        {
            entries = entries.Where(e => e.At < end);
        }

        return entries;
    }
}
