using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.ChooseAccount;

/// <summary>
/// The Choose Account page after login and from the Hello menu's Switch Account: the user's accounts, owned first,
/// closed ones shown but refused. Choosing one sends <see cref="SwitchAccount.SwitchAccount.Command"/>. When the
/// account the user was working in is gone from under them (their access removed, or the account closed), the page
/// says which, by name, instead of leaving them to guess.
/// </summary>
public static class ChooseAccount
{
    public sealed record Query : IQuery<Result>;

    public sealed record Result(IReadOnlyList<AccountRow> Accounts, LostAccount? Lost);

    public sealed record AccountRow(int ClientId, string DisplayName, bool IsOwner, bool IsClosed, bool IsActive);

    /// <summary>The account the session was working in, which it can no longer use: closed, or no longer shared with the user.</summary>
    public sealed record LostAccount(string DisplayName, bool Closed);

    internal sealed class QueryHandler(PortalDbContext db, AccountContext account) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var accounts = await AccountsAsync(cancellationToken);
            LostAccount? lost = null;
            if (account.Account is null && account.RequestedClientId is { } requested)
            {
                lost = await db.Clients.Where(c => c.Id == requested)
                    .Select(c => new { c.FirstName, c.LastName, c.CompanyName, c.Status })
                    .AsNoTracking()
                    .FirstOrDefaultAsync(cancellationToken) is { } client
                    ? new LostAccount(Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName),
                        client.Status == ClientStatus.Closed && accounts.Any(a => a.ClientId == requested))
                    : null;
            }

            return new Result(accounts, lost);
        }

        private async Task<IReadOnlyList<AccountRow>> AccountsAsync(CancellationToken cancellationToken)
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
