using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ActivityLog;

/// <summary>The activity log: every event with its actor, newest first, filtered by client, user, admin, text and dates.</summary>
public static class ListActivity
{
    public sealed record Query(int? ClientId, int? UserId, int? AdminId, string? Text, DateOnly? From, DateOnly? To, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(long Id, DateTimeOffset At, string Description, int? ClientId, string? ClientName, int? UserId, string? UserEmail, int? AdminId, string? AdminName, string? IpAddress)
    {
        /// <summary>Entries outlive the users and admins they name: a deleted one shows by id.</summary>
        public string Actor => AdminId is not null ? $"Admin {AdminName ?? $"#{AdminId} (deleted)"}"
            : UserId is not null ? $"User {UserEmail ?? $"#{UserId} (deleted)"}"
            : IpAddress is null ? "System" : "Visitor";
    }

    internal sealed class Handler(PortalDbContext db, IActivitySearch search) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public const int PageSize = 50;

        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
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

            entries = search.Matching(entries, query.Text).Between(query.From, query.To);

            return await Keyset.ReadAsync(
                query.Page,
                PageSize,
                key => Project(entries.OlderThan(key)),
                key => Project(entries.NewerThan(key)),
                MomentKey.Parse,
                row => MomentKey.Of(row.At, row.Id).ToString(),
                await entries.CountUpToLimitAsync(cancellationToken),
                cancellationToken);
        }

        private IQueryable<Row> Project(IQueryable<ActivityLogEntry> entries) =>
            entries.Select(e => new Row(
                e.Id,
                e.At,
                e.Description,
                e.ClientId,
                db.Clients.Where(c => c.Id == e.ClientId).Select(c => c.CompanyName ?? c.FirstName + " " + c.LastName).FirstOrDefault(),
                e.UserId,
                db.Users.Where(u => u.Id == e.UserId).Select(u => u.Email).FirstOrDefault(),
                e.AdminId,
                db.Admins.Where(a => a.Id == e.AdminId).Select(a => a.FirstName + " " + a.LastName).FirstOrDefault(),
                e.IpAddress));
    }
}
