using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Web;

namespace Portal.Features.Support;

/// <summary>
/// Ticket lists read latest activity first by (LastReplyAt, Id), a page at a time from the row in the link: a ticket
/// answered meanwhile moves to the top instead of pushing another onto the next page twice.
/// </summary>
public static class TicketPaging
{
    /// <summary>One page of <paramref name="tickets"/>, each row read through <paramref name="project"/> and named in links by <paramref name="keyOf"/>.</summary>
    public static async Task<KeysetPage<TRow>> ReadPageAsync<TRow>(
        this IQueryable<Ticket> tickets,
        PageRequest request,
        Func<IQueryable<Ticket>, IQueryable<TRow>> project,
        Func<TRow, MomentKey> keyOf,
        CancellationToken cancellationToken) =>
        await Keyset.ReadAsync(
            request,
            Paging.DefaultPageSize,
            key => project(tickets.OlderThan(key)),
            key => project(tickets.NewerThan(key)),
            MomentKey.Parse,
            row => keyOf(row).ToString(),
            await tickets.CountUpToLimitAsync(cancellationToken),
            cancellationToken);

    private static IQueryable<Ticket> OlderThan(this IQueryable<Ticket> tickets, MomentKey? key)
    {
        if (key is { } k)
        {
            var at = k.At;
            var id = (int)k.Id;
            tickets = tickets.Where(t => t.LastReplyAt <= at && (t.LastReplyAt < at || t.Id < id));
        }

        return tickets.OrderByDescending(t => t.LastReplyAt).ThenByDescending(t => t.Id);
    }

    private static IQueryable<Ticket> NewerThan(this IQueryable<Ticket> tickets, MomentKey key)
    {
        var at = key.At;
        var id = (int)key.Id;
        return tickets.Where(t => t.LastReplyAt >= at && (t.LastReplyAt > at || t.Id > id)).OrderBy(t => t.LastReplyAt).ThenBy(t => t.Id);
    }
}
