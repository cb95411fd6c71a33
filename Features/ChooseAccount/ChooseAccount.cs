using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.ChooseAccount;

/// <summary>
/// The Choose Account page after login and from the Hello menu's Switch Account: the user's accounts, owned first,
/// closed ones shown but refused. Choosing one sends <see cref="SwitchAccount.SwitchAccount.Command"/>.
/// </summary>
public static class ChooseAccount
{
    public sealed record Query : IQuery<IReadOnlyList<AccountRow>>;

    public sealed record AccountRow(int ClientId, string DisplayName, bool IsOwner, bool IsClosed, bool IsActive);

    internal sealed class QueryHandler(PortalDbContext db, AccountContext account) : IQueryHandler<Query, IReadOnlyList<AccountRow>>
    {
        public async ValueTask<IReadOnlyList<AccountRow>> Handle(Query query, CancellationToken cancellationToken)
        {
            var rows = await db.ClientUsers
                .Where(cu => cu.UserId == account.UserId)
                .Select(cu => new
                {
                    cu.ClientId,
                    cu.Client.FirstName,
                    cu.Client.LastName,
                    cu.Client.CompanyName,
                    IsOwner = cu.Client.OwnerUserId == account.UserId,
                    cu.Client.Status,
                })
                .ToListAsync(cancellationToken);
            return rows
                .OrderByDescending(r => r.IsOwner)
                .ThenBy(r => r.ClientId)
                .Select(r => new AccountRow(
                    r.ClientId, Client.DisplayNameOf(r.FirstName, r.LastName, r.CompanyName), r.IsOwner, r.Status == ClientStatus.Closed,
                    account.Account?.ClientId == r.ClientId))
                .ToList();
        }
    }
}
