using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Support;

/// <summary>Every ticket for staff: filtered by status, department and client, searched by reference, subject or requester, paged.</summary>
public static class TicketQueue
{
    /// <param name="AwaitingReply">Only tickets waiting for staff (new, or answered by the customer); the admin menu counts them.</param>
    public sealed record Query(TicketStatus? Status, int? DepartmentId, int? ClientId, string? Search, PageRequest Page, bool AwaitingReply = false) : IQuery<Result>;

    public sealed record Result(KeysetPage<Row> Tickets, IReadOnlyList<(int Id, string Name)> Departments);

    public sealed record Row(int Id, string Reference, string Subject, string Department, int? ClientId, string? ClientName, string Requester, TicketStatus Status, TicketPriority Priority, DateTimeOffset LastReplyAt, bool HasHeldReply = false);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var tickets = db.Tickets.AsNoTracking();
            if (query.Status is { } status)
            {
                tickets = tickets.Where(t => t.Status == status);
            }
            else if (query.AwaitingReply)
            {
                tickets = tickets.Where(TicketLabels.AwaitsReply);
            }

            if (query.DepartmentId is { } department)
            {
                tickets = tickets.Where(t => t.DepartmentId == department);
            }

            if (query.ClientId is { } client)
            {
                tickets = tickets.Where(t => t.ClientId == client);
            }

            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var term = Portal.Infrastructure.Data.Search.ContainsPattern(query.Search.TrimStart('#'));
                tickets = tickets.Where(t => EF.Functions.Like(t.Reference.ToLower(), term, Portal.Infrastructure.Data.Search.Escape)
                    || EF.Functions.Like(t.Subject.ToLower(), term, Portal.Infrastructure.Data.Search.Escape)
                    || EF.Functions.Like(t.RequesterEmail.ToLower(), term, Portal.Infrastructure.Data.Search.Escape)
                    || EF.Functions.Like(t.RequesterName.ToLower(), term, Portal.Infrastructure.Data.Search.Escape));
            }

            var page = await tickets.ReadPageAsync(query.Page, Project, row => MomentKey.Of(row.LastReplyAt, row.Id), cancellationToken);
            var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
            return new Result(
                new KeysetPage<Row>([.. page.Items.Select(ToRow)], page.Newer, page.Older, page.Total),
                departments.Select(d => (d.Id, d.Name)).ToList());
        }

        private IQueryable<Entry> Project(IQueryable<Ticket> tickets) =>
            tickets.Select(t => new Entry(
                t.Id,
                t.Reference,
                t.Subject,
                t.Department.Name,
                t.ClientId,

                // One primary-key lookup per column: an object projected from a correlated query would be joined as a
                // window over every client instead.
                db.Clients.Where(c => c.Id == t.ClientId).Select(c => c.FirstName).FirstOrDefault(),
                db.Clients.Where(c => c.Id == t.ClientId).Select(c => c.LastName).FirstOrDefault(),
                db.Clients.Where(c => c.Id == t.ClientId).Select(c => c.CompanyName).FirstOrDefault(),
                t.RequesterName,
                t.RequesterEmail,
                t.Status,
                t.Priority,
                t.LastReplyAt,
                t.Replies.Any(r => r.IsHeld)));

        private static Row ToRow(Entry t) => new(
            t.Id, "#" + t.Reference, t.Subject, t.Department, t.ClientId,
            t.ClientFirstName is null ? null : Client.DisplayNameOf(t.ClientFirstName, t.ClientLastName ?? "", t.ClientCompanyName),
            t.RequesterName.Length > 0 ? $"{t.RequesterName} <{t.RequesterEmail}>" : t.RequesterEmail, t.Status, t.Priority, t.LastReplyAt, t.HasHeldReply);

        private sealed record Entry(
            int Id, string Reference, string Subject, string Department, int? ClientId, string? ClientFirstName, string? ClientLastName, string? ClientCompanyName,
            string RequesterName, string RequesterEmail, TicketStatus Status, TicketPriority Priority, DateTimeOffset LastReplyAt, bool HasHeldReply);
    }
}
