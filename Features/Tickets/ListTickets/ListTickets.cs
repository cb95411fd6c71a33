using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Web;

namespace Portal.Features.Tickets.ListTickets;

/// <summary>The active account's tickets, whoever opened them, newest activity first, optionally of one status.</summary>
public static class ListTickets
{
    public sealed record Query(int ClientId, TicketStatus? Status, int Page) : IQuery<Paged<Row>>;

    public sealed record Row(int Id, string Reference, string Subject, string Department, TicketStatus Status, TicketPriority Priority, string RequesterName, DateTimeOffset LastReplyAt);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var tickets = db.Tickets.AsNoTracking().Where(t => t.ClientId == query.ClientId);
            if (query.Status is { } status)
            {
                tickets = tickets.Where(t => t.Status == status);
            }

            return await tickets.OrderByDescending(t => t.LastReplyAt).ThenByDescending(t => t.Id)
                .Select(t => new Row(t.Id, "#" + t.Reference, t.Subject, t.Department.Name, t.Status, t.Priority, t.RequesterName, t.LastReplyAt))
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
        }
    }
}
