using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Membership;

/// <summary>
/// The owner's User Management page: who can use this account (with their last login to it), and the invitations
/// that are pending or have expired.
/// </summary>
public static class UserManagement
{
    /// <summary>The account's users and invitations; the client area passes the active account, admins the client they view.</summary>
    public sealed record Query(int ClientId) : IQuery<Result>;

    public sealed record Result(IReadOnlyList<UserRow> Users, IReadOnlyList<InvitationRow> Pending, IReadOnlyList<InvitationRow> Expired);

    public sealed record UserRow(int UserId, string Name, string Email, bool IsOwner, DateTimeOffset? LastLoginAt, string Permissions);

    public sealed record InvitationRow(int Id, string Email, DateTimeOffset SentAt, DateTimeOffset ExpiresAt, string Permissions);

    internal sealed class Handler(PortalDbContext db, TimeProvider time) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var clientId = query.ClientId;
            var ownerId = await db.Clients.Where(c => c.Id == clientId).Select(c => c.OwnerUserId).SingleAsync(cancellationToken);
            var users = await db.ClientUsers
                .Where(cu => cu.ClientId == clientId)
                .Select(cu => new { cu.UserId, cu.User.FirstName, cu.User.LastName, cu.User.Email, cu.LastLoginAt, cu.StoredPermissions })
                .ToListAsync(cancellationToken);
            var now = time.GetUtcNow();
            var invitations = await db.Invitations
                .Where(i => i.ClientId == clientId && (i.Status == InvitationStatus.Pending || i.Status == InvitationStatus.Expired))
                .OrderByDescending(i => i.CreatedAt)
                .ToListAsync(cancellationToken);

            return new Result(
                users.OrderByDescending(u => u.UserId == ownerId).ThenBy(u => u.Email)
                    .Select(u => new UserRow(u.UserId, $"{u.FirstName} {u.LastName}".Trim(), u.Email ?? "", u.UserId == ownerId, u.LastLoginAt,
                        ClientUser.Effective(u.UserId == ownerId, u.StoredPermissions).Describe()))
                    .ToList(),
                invitations.Where(i => !i.HasLapsed(now)).Select(Row).ToList(),
                invitations.Where(i => i.HasLapsed(now)).Select(Row).ToList());
        }

        private static InvitationRow Row(Invitation i) => new(i.Id, i.Email, i.CreatedAt, i.ExpiresAt, i.PermissionSet.Describe());
    }
}
