using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Web;

namespace Portal.Features.Tickets.Shared;

/// <summary>
/// Ticket lists read latest activity first by (LastReplyAt, Id), a page at a time from the row in the link: a ticket
/// answered meanwhile moves to the top instead of pushing another onto the next page twice.
/// </summary>
public static class TicketPaging
{
    public static IQueryable<Ticket> OlderThan(this IQueryable<Ticket> tickets, MomentKey? key)
    {
        if (key is { } k)
        {
            var at = k.At;
            var id = (int)k.Id;
            tickets = tickets.Where(t => t.LastReplyAt <= at && (t.LastReplyAt < at || t.Id < id));
        }

        return tickets.OrderByDescending(t => t.LastReplyAt).ThenByDescending(t => t.Id);
    }

    public static IQueryable<Ticket> NewerThan(this IQueryable<Ticket> tickets, MomentKey key)
    {
        var at = key.At;
        var id = (int)key.Id;
        return tickets.Where(t => t.LastReplyAt >= at && (t.LastReplyAt > at || t.Id > id)).OrderBy(t => t.LastReplyAt).ThenBy(t => t.Id);
    }
}
