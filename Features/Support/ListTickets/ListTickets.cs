using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Web;

namespace Portal.Features.Support;

/// <summary>The active account's tickets, whoever opened them, newest activity first, optionally of one status.</summary>
public static class ListTickets
{
    public sealed record Query(int ClientId, TicketStatus? Status, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(int Id, string Reference, string Subject, string Department, TicketStatus Status, TicketPriority Priority, string RequesterName, DateTimeOffset LastReplyAt);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var tickets = db.Tickets.AsNoTracking().Where(t => t.ClientId == query.ClientId);
            if (query.Status is { } status)
            {
                tickets = tickets.Where(t => t.Status == status);
            }

            return await tickets.ReadPageAsync(query.Page, Project, row => MomentKey.Of(row.LastReplyAt, row.Id), cancellationToken);
        }

        private static IQueryable<Row> Project(IQueryable<Ticket> tickets) =>
            tickets.Select(t => new Row(t.Id, "#" + t.Reference, t.Subject, t.Department.Name, t.Status, t.Priority, t.RequesterName, t.LastReplyAt));
    }
}
