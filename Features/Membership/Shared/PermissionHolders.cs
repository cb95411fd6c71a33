using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Membership;

/// <summary>
/// Who may hear about an account's object now. Mail about a ticket, an order or an invoice goes only to users who are
/// associated with the account at the moment it is sent and hold the permission for that kind of object (the owner
/// holds every one): a user removed from the account, or whose permission was taken away, is no longer told, whatever
/// they once opened, placed or paid.
/// </summary>
public static class PermissionHolders
{
    public sealed record Holder(int UserId, string Email, string FirstName);

    /// <summary>Of <paramref name="userIds"/>, those who hold <paramref name="permission"/> in account <paramref name="clientId"/> now, in the order given.</summary>
    public static async Task<IReadOnlyList<Holder>> AmongAsync(
        PortalDbContext db, int clientId, Permission permission, IEnumerable<int> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.ClientUsers.AsNoTracking()
            .Where(cu => cu.ClientId == clientId && ids.Contains(cu.UserId))
            .Select(cu => new { cu.UserId, cu.User.Email, cu.User.FirstName, cu.StoredPermissions, IsOwner = cu.Client.OwnerUserId == cu.UserId })
            .ToListAsync(cancellationToken);
        return ids.Select(id => rows.SingleOrDefault(r => r.UserId == id))
            .Where(r => r is not null && !string.IsNullOrEmpty(r.Email) && ClientUser.Effective(r.IsOwner, r.StoredPermissions).Has(permission))
            .Select(r => new Holder(r!.UserId, r.Email!, r.FirstName))
            .ToList();
    }

    /// <summary>Whether <paramref name="userId"/> holds <paramref name="permission"/> in account <paramref name="clientId"/> now.</summary>
    public static async Task<bool> HoldsAsync(PortalDbContext db, int clientId, Permission permission, int userId, CancellationToken cancellationToken) =>
        (await AmongAsync(db, clientId, permission, [userId], cancellationToken)).Count == 1;

    /// <summary>The account's owner now, who manages its users and invitations.</summary>
    public static Task<Holder?> OwnerAsync(PortalDbContext db, int clientId, CancellationToken cancellationToken) =>
        db.Clients.AsNoTracking().Where(c => c.Id == clientId)
            .Select(c => new Holder(c.OwnerUserId, c.Owner.Email!, c.Owner.FirstName))
            .SingleOrDefaultAsync(cancellationToken);
}
