using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Which page of a keyset-paged list to show: the first (newest), the one just older than a row, or the one just
/// newer than a row. A row is named by its sort key, written in links as text ("638123456789012345-42"); a page
/// costs the same however deep it is, and rows written meanwhile neither repeat nor go missing.
/// </summary>
public sealed record PageRequest(string? Older, string? Newer)
{
    public static readonly PageRequest First = new(null, null);
}

/// <summary>A list's size as shown to people: exact up to <see cref="Keyset.CountLimit"/>, "more than" that beyond.</summary>
public readonly record struct ListCount(int Value, bool IsLowerBound)
{
    public bool IsZero => Value == 0 && !IsLowerBound;

    public override string ToString() => IsLowerBound ? $"more than {Value:N0}" : Value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>One page of a keyset-paged list, with the keys its Newer and Older links carry (null: no such page).</summary>
public sealed record KeysetPage<T>(IReadOnlyList<T> Items, string? Newer, string? Older, ListCount Total);

public static class Keyset
{
    /// <summary>Counting stops here: counting every row of a million-row list would cost more than the page itself.</summary>
    public const int CountLimit = 1_000;

    public static async Task<ListCount> CountUpToLimitAsync<T>(this IQueryable<T> query, CancellationToken cancellationToken)
    {
        var count = await query.Take(CountLimit + 1).CountAsync(cancellationToken);
        return count > CountLimit ? new ListCount(CountLimit, true) : new ListCount(count, false);
    }

    /// <summary>
    /// Reads one page. <paramref name="older"/> gives the rows in reading order after a key (after none: from the
    /// top), <paramref name="newer"/> the rows before a key in reverse reading order; <paramref name="parse"/> turns
    /// a key from a link back into a key, or null when it cannot be read (then the first page is shown).
    /// </summary>
    public static async Task<KeysetPage<T>> ReadAsync<T, TKey>(
        PageRequest request,
        int pageSize,
        Func<TKey?, IQueryable<T>> older,
        Func<TKey, IQueryable<T>> newer,
        Func<string?, TKey?> parse,
        Func<T, string> keyOf,
        ListCount total,
        CancellationToken cancellationToken)
        where TKey : struct
    {
        if (parse(request.Newer) is { } newerThan)
        {
            var rows = await newer(newerThan).Take(pageSize + 1).ToListAsync(cancellationToken);
            if (rows.Count > pageSize)
            {
                rows.RemoveAt(pageSize);
                rows.Reverse();
                return new KeysetPage<T>(rows, keyOf(rows[0]), keyOf(rows[^1]), total);
            }

            // Back at the top: show a full first page rather than the few rows left above the key.
            return await ReadAsync(PageRequest.First, pageSize, older, newer, parse, keyOf, total, cancellationToken);
        }

        var olderThan = parse(request.Older);
        var page = await older(olderThan).Take(pageSize + 1).ToListAsync(cancellationToken);
        var more = page.Count > pageSize;
        if (more)
        {
            page.RemoveAt(pageSize);
        }

        return new KeysetPage<T>(
            page,
            olderThan is not null && page.Count > 0 ? keyOf(page[0]) : null,
            more ? keyOf(page[^1]) : null,
            total);
    }

    /// <summary>
    /// Reads one page of a list shown newest first by one unique key that grows with each row (an id, an invoice
    /// number), counted up to <see cref="CountLimit"/>. <paramref name="key"/> must be served by an index for the
    /// rows of <paramref name="source"/> (e.g. (ClientId, Id)).
    /// </summary>
    public static async Task<KeysetPage<TRow>> ReadNewestFirstAsync<TEntity, TKey, TRow>(
        this IQueryable<TEntity> source,
        Expression<Func<TEntity, TKey>> key,
        Expression<Func<TEntity, TRow>> project,
        Func<TRow, TKey> keyOfRow,
        PageRequest request,
        CancellationToken cancellationToken,
        int pageSize = Paging.DefaultPageSize)
        where TKey : struct, IParsable<TKey> =>
        await source.ReadByKeyAsync(
            key,
            rows => rows.Select(project),
            keyOfRow,
            descending: true,
            text => TKey.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            request,
            pageSize,
            await source.CountUpToLimitAsync(cancellationToken),
            cancellationToken);

    /// <summary>
    /// Reads one page of a list in the order of one unique, indexed key (an id), ascending or
    /// <paramref name="descending"/>: the rows after a link's key for Older, the rows before it for Newer.
    /// <paramref name="parse"/> reads a key from a link (null: show the first page).
    /// </summary>
    public static Task<KeysetPage<TRow>> ReadByKeyAsync<TEntity, TKey, TRow>(
        this IQueryable<TEntity> source,
        Expression<Func<TEntity, TKey>> key,
        Func<IQueryable<TEntity>, IQueryable<TRow>> project,
        Func<TRow, TKey> keyOfRow,
        bool descending,
        Func<string?, TKey?> parse,
        PageRequest request,
        int pageSize,
        ListCount total,
        CancellationToken cancellationToken)
        where TKey : struct
    {
        var onward = descending ? ExpressionType.LessThan : ExpressionType.GreaterThan;
        var back = descending ? ExpressionType.GreaterThan : ExpressionType.LessThan;
        IQueryable<TEntity> Ordered(IQueryable<TEntity> rows, bool down) => down ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return ReadAsync<TRow, TKey>(
            request,
            pageSize,
            after => project(Ordered(after is { } k ? source.Where(Compared(key, onward, k)) : source, descending)),
            before => project(Ordered(source.Where(Compared(key, back, before)), !descending)),
            parse,
            row => string.Format(CultureInfo.InvariantCulture, "{0}", keyOfRow(row)),
            total,
            cancellationToken);
    }

    /// <summary><c>row =&gt; key(row) &lt;comparison&gt; value</c>, with the value sent as a parameter rather than written into the SQL.</summary>
    private static Expression<Func<TEntity, bool>> Compared<TEntity, TKey>(Expression<Func<TEntity, TKey>> key, ExpressionType comparison, TKey value)
    {
        Expression<Func<TKey>> parameter = () => value;
        return Expression.Lambda<Func<TEntity, bool>>(Expression.MakeBinary(comparison, key.Body, parameter.Body), key.Parameters);
    }

    /// <summary>
    /// A list sorted by a column no index serves, paged by position under the same links: its key is the number of
    /// rows before the page. Cost grows with depth, as it does for any sort the database must do in full.
    /// </summary>
    public static async Task<KeysetPage<T>> ReadByPositionAsync<T>(IQueryable<T> ordered, PageRequest request, int pageSize, ListCount total, CancellationToken cancellationToken)
    {
        var position = IdKey.Parse(request.Older) ?? IdKey.Parse(request.Newer) ?? 0;
        position = Math.Min(position, 100_000 * pageSize);
        var rows = await ordered.Skip(position).Take(pageSize + 1).ToListAsync(cancellationToken);
        var more = rows.Count > pageSize;
        if (more)
        {
            rows.RemoveAt(pageSize);
        }

        return new KeysetPage<T>(
            rows,
            position > 0 ? Math.Max(0, position - pageSize).ToString(CultureInfo.InvariantCulture) : null,
            more ? (position + pageSize).ToString(CultureInfo.InvariantCulture) : null,
            total);
    }
}

/// <summary>The key of a list read newest first by (At, Id), such as the activity log.</summary>
public readonly record struct MomentKey(long Ticks, long Id)
{
    public static MomentKey Of(DateTimeOffset at, long id) => new(at.UtcTicks, id);

    public DateTimeOffset At => new(Ticks, TimeSpan.Zero);

    public override string ToString() => $"{Ticks}-{Id}";

    public static MomentKey? Parse(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var ticks, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTimeOffset.MaxValue.UtcTicks
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? new MomentKey(t, i)
            : null;
    }
}

/// <summary>The key of a list read by id.</summary>
public static class IdKey
{
    public static int? Parse(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

public static class Paging
{
    /// <summary>Rows a list page shows, unless it says otherwise.</summary>
    public const int DefaultPageSize = 25;
}
