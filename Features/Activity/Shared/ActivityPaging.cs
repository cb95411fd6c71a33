using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Web;
using Portal.Features.Activity;

namespace Portal.Features.Activity;

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

    /// <summary>
    /// One page of the entries <paramref name="filter"/> keeps from the plan's source that the plan's search matches,
    /// projected by <paramref name="project"/>. Without a window: counted up to <see cref="Keyset.CountLimit"/>, read in
    /// one go. With one: at most that many filtered entries are read past the page's key; when they run out before the
    /// page is full, the page links on from the last entry read and says how far it searched. Such a page is not counted.
    /// </summary>
    public static async Task<ActivityPage<T>> ReadPageAsync<T>(
        this ActivitySearchPlan plan,
        Func<IQueryable<ActivityLogEntry>, IQueryable<ActivityLogEntry>> filter,
        Func<IQueryable<ActivityLogEntry>, IQueryable<T>> project,
        Func<T, MomentKey> keyOf,
        PageRequest request,
        int pageSize,
        CancellationToken cancellationToken)
    {
        var entries = filter(plan.Source);
        if (plan.Window is not { } window)
        {
            var matching = plan.Match(entries);
            var whole = await Keyset.ReadAsync(
                request,
                pageSize,
                key => project(matching.OlderThan(key)),
                key => project(matching.NewerThan(key)),
                MomentKey.Parse,
                row => keyOf(row).ToString(),
                await matching.CountUpToLimitAsync(cancellationToken),
                cancellationToken);
            return new ActivityPage<T>(whole, null);
        }

        if (MomentKey.Parse(request.Newer) is { } newerThan)
        {
            var read = entries.NewerThan(newerThan);
            var rows = await project(plan.Match(read.Take(window)).OrderBy(e => e.At).ThenBy(e => e.Id)).Take(pageSize + 1).ToListAsync(cancellationToken);
            if (rows.Count > pageSize)
            {
                rows.RemoveAt(pageSize);
                rows.Reverse();
                return new ActivityPage<T>(new KeysetPage<T>(rows, keyOf(rows[0]).ToString(), keyOf(rows[^1]).ToString(), default), new SearchWindow(window, null, Older: false));
            }

            if (await LastReadAsync(read, window, cancellationToken) is { } last)
            {
                rows.Reverse();
                // With nothing found, Older starts just above the key, so that the entry it names is shown again.
                var older = rows.Count > 0 ? keyOf(rows[^1]) : new MomentKey(newerThan.Ticks, newerThan.Id + 1);
                return new ActivityPage<T>(new KeysetPage<T>(rows, last.ToString(), older.ToString(), default), new SearchWindow(window, last.At, Older: false));
            }

            // Back at the top: show a full first page rather than the few rows left above the key.
            return await plan.ReadPageAsync(filter, project, keyOf, PageRequest.First, pageSize, cancellationToken);
        }

        var olderThan = MomentKey.Parse(request.Older);
        var readOlder = entries.OlderThan(olderThan);
        var page = await project(plan.Match(readOlder.Take(window)).OrderByDescending(e => e.At).ThenByDescending(e => e.Id)).Take(pageSize + 1).ToListAsync(cancellationToken);
        MomentKey? newer = olderThan is { } above ? page.Count > 0 ? keyOf(page[0]) : new MomentKey(above.Ticks, above.Id - 1) : null;
        if (page.Count > pageSize)
        {
            page.RemoveAt(pageSize);
            return new ActivityPage<T>(new KeysetPage<T>(page, newer?.ToString(), keyOf(page[^1]).ToString(), default), new SearchWindow(window, null, Older: true));
        }

        var lastRead = await LastReadAsync(readOlder, window, cancellationToken);
        return new ActivityPage<T>(new KeysetPage<T>(page, newer?.ToString(), lastRead?.ToString(), default), new SearchWindow(window, lastRead?.At, Older: true));
    }

    /// <summary>The key of the last of the first <paramref name="window"/> entries of <paramref name="read"/>, or null when it has fewer.</summary>
    private static async Task<MomentKey?> LastReadAsync(IQueryable<ActivityLogEntry> read, int window, CancellationToken cancellationToken)
    {
        var last = await read.Skip(window - 1).Select(e => new { e.At, e.Id }).FirstOrDefaultAsync(cancellationToken);
        return last is null ? null : MomentKey.Of(last.At, last.Id);
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

/// <summary>A page of the activity log; <see cref="Window"/> is set when a search read it a window at a time.</summary>
public sealed record ActivityPage<T>(KeysetPage<T> Entries, SearchWindow? Window)
{
    /// <summary>Nothing to show and nothing left to search.</summary>
    public bool IsEmpty => Entries.Items.Count == 0 && Window?.SearchedTo is null;
}

/// <summary>
/// A search that reads <see cref="Size"/> entries a page. <see cref="SearchedTo"/> is the moment of the last entry a
/// page read when it ran out of entries to read before it was full (null: it filled, or reached the end of the log):
/// entries beyond it, older or newer as <see cref="Older"/> says, are not searched yet.
/// </summary>
public sealed record SearchWindow(int Size, DateTimeOffset? SearchedTo, bool Older);
