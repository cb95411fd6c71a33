using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Clients;

namespace Portal.Features.Identity;

/// <summary>One user as the admin sees them: login details, the client accounts they reach (and own), and live sessions.</summary>
public static class UserDetails
{
    public sealed record Query(int UserId) : IQuery<Result?>;

    public sealed record Result(
        int Id, string FirstName, string LastName, string Email, bool EmailConfirmed, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt,
        IReadOnlyList<AccountRow> Accounts, int LiveSessions, DateTimeOffset? IdentityVerifiedAt = null)
    {
        public IReadOnlyList<SessionRow> Sessions { get; init; } = [];

        public bool TwoFactorEnabled { get; init; }

        /// <summary>The name of the identity document waiting for review, if any; it is decided on the order page.</summary>
        public string? PendingDocument { get; init; }

        public string Name => $"{FirstName} {LastName}".Trim();
    }

    public sealed record AccountRow(int ClientId, string DisplayName, ClientStatus Status, bool IsOwner, DateTimeOffset? LastLoginAt);

    internal sealed class Handler(PortalDbContext db, TimeProvider time) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken cancellationToken)
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == query.UserId, cancellationToken);
            if (user is null)
            {
                return null;
            }

            var accounts = await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.UserId == user.Id)
                .OrderBy(cu => cu.Client.OwnerUserId != user.Id).ThenBy(cu => cu.ClientId)
                .Select(cu => new { cu.ClientId, cu.Client.FirstName, cu.Client.LastName, cu.Client.CompanyName, cu.Client.Status, cu.Client.OwnerUserId, cu.LastLoginAt })
                .ToListAsync(cancellationToken);

            var now = time.GetUtcNow();
            var sessions = await SessionList.LiveOfUserAsync(db, user.Id, now, currentSessionId: null, cancellationToken);

            return new Result(
                user.Id, user.FirstName, user.LastName, user.Email ?? "", user.EmailConfirmed, user.CreatedAt, user.LastLoginAt,
                accounts.Select(a => new AccountRow(a.ClientId, Client.DisplayNameOf(a.FirstName, a.LastName, a.CompanyName), a.Status, a.OwnerUserId == user.Id, a.LastLoginAt)).ToList(),
                sessions.Count,
                user.IdentityVerifiedAt)
            {
                Sessions = sessions,
                TwoFactorEnabled = user.TwoFactorEnabled,
                PendingDocument = await db.IdentityDocuments.AsNoTracking()
                    .Where(d => d.UserId == user.Id && d.Status == IdentityDocumentStatus.Pending)
                    .OrderByDescending(d => d.Id).Select(d => d.FileName).FirstOrDefaultAsync(cancellationToken),
            };
        }
    }
}
