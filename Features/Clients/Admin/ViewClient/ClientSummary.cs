using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;

namespace Portal.Features.Clients;

/// <summary>A client's profile as the admin sees it: details, owner, and each associated user's last login to this account.</summary>
public static class ClientSummary
{
    public sealed record Query(int ClientId) : IQuery<Result?>;

    public sealed record Result(
        int Id, string DisplayName, ClientProfile Profile, ClientStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
        int OwnerUserId, IReadOnlyList<UserRow> Users, Portal.Features.Billing.BillingCounts Billing);

    public sealed record UserRow(int UserId, string Name, string Email, bool IsOwner, DateTimeOffset? LastLoginAt, string Permissions);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken cancellationToken)
        {
            var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == query.ClientId, cancellationToken);
            if (client is null)
            {
                return null;
            }

            var users = await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.ClientId == client.Id)
                .OrderBy(cu => cu.UserId != client.OwnerUserId).ThenBy(cu => cu.UserId)
                .Select(cu => new { cu.UserId, cu.User.FirstName, cu.User.LastName, cu.User.Email, cu.LastLoginAt, cu.StoredPermissions })
                .ToListAsync(cancellationToken);

            return new Result(
                client.Id,
                client.DisplayName,
                new ClientProfile(client.FirstName, client.LastName, client.CompanyName, client.Email, client.Address1, client.City, client.State, client.Postcode, client.Country, client.Phone),
                client.Status,
                client.CreatedAt,
                client.ClosedAt,
                client.OwnerUserId,
                users.Select(u => new UserRow(
                    u.UserId, $"{u.FirstName} {u.LastName}".Trim(), u.Email ?? "", u.UserId == client.OwnerUserId, u.LastLoginAt,
                    ClientUser.Effective(u.UserId == client.OwnerUserId, u.StoredPermissions).Describe())).ToList(),
                await Portal.Features.Billing.BillingCounts.OfAsync(db, client.Id, cancellationToken));
        }
    }
}
