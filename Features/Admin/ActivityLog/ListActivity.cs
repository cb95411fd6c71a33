using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ActivityLog;

/// <summary>The activity log: every event with its actor, newest first, filtered by client, user, admin, text and dates.</summary>
public static class ListActivity
{
    public sealed record Query(int? ClientId, int? UserId, int? AdminId, string? Text, DateOnly? From, DateOnly? To, int Page) : IQuery<Paged<Row>>;

    public sealed record Row(long Id, DateTimeOffset At, string Description, int? ClientId, string? ClientName, int? UserId, string? UserEmail, int? AdminId, string? AdminName, string? IpAddress)
    {
        /// <summary>Entries outlive the users and admins they name: a deleted one shows by id.</summary>
        public string Actor => AdminId is not null ? $"Admin {AdminName ?? $"#{AdminId} (deleted)"}"
            : UserId is not null ? $"User {UserEmail ?? $"#{UserId} (deleted)"}"
            : IpAddress is null ? "System" : "Visitor";
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var entries = db.ActivityLog.AsNoTracking();
            if (query.ClientId is { } clientId)
            {
                entries = entries.Where(e => e.ClientId == clientId);
            }

            if (query.UserId is { } userId)
            {
                entries = entries.Where(e => e.UserId == userId);
            }

            if (query.AdminId is { } adminId)
            {
                entries = entries.Where(e => e.AdminId == adminId);
            }

            entries = entries.Matching(query.Text, query.From, query.To);

            return await entries
                .OrderByDescending(e => e.Id)
                .Select(e => new Row(
                    e.Id,
                    e.At,
                    e.Description,
                    e.ClientId,
                    db.Clients.Where(c => c.Id == e.ClientId).Select(c => c.CompanyName ?? c.FirstName + " " + c.LastName).FirstOrDefault(),
                    e.UserId,
                    db.Users.Where(u => u.Id == e.UserId).Select(u => u.Email).FirstOrDefault(),
                    e.AdminId,
                    db.Admins.Where(a => a.Id == e.AdminId).Select(a => a.FirstName + " " + a.LastName).FirstOrDefault(),
                    e.IpAddress))
                .ToPagedAsync(query.Page, 50, cancellationToken);
        }
    }
}
