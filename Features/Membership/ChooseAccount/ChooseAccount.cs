using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>
/// The Choose Account page after login and from the Hello menu's Switch Account: the user's accounts, owned first,
/// closed ones shown but refused. Choosing one sends <see cref="SwitchAccount.Command"/>. When the
/// account the user was working in is gone from under them (their access removed, or the account closed), the page
/// says which, by name, instead of leaving them to guess.
/// </summary>
public static class ChooseAccount
{
    /// <summary>Accounts on one page; a user with more searches or pages through them.</summary>
    public const int PageSize = 25;

    public sealed record Query(string? Search = null, PageRequest? Page = null) : IQuery<Result>;

    /// <param name="Accounts">The page of the user's accounts matching the search, owned first, then oldest first.</param>
    /// <param name="HasAny">Whether the user has any account at all, whatever the search.</param>
    public sealed record Result(KeysetPage<AccountRow> Accounts, bool HasAny, LostAccount? Lost);

    public sealed record AccountRow(int ClientId, string FirstName, string LastName, string? CompanyName, bool IsOwner, bool IsClosed, bool IsActive)
    {
        public string DisplayName => Client.DisplayNameOf(FirstName, LastName, CompanyName);
    }

    /// <summary>The account the session was working in, which it can no longer use: closed, or no longer shared with the user.</summary>
    public sealed record LostAccount(string DisplayName, bool Closed);

    internal sealed class QueryHandler(PortalDbContext db, AccountContext account, IPeopleSearch search) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var userId = account.UserId;
            var mine = db.ClientUsers.AsNoTracking().Where(cu => cu.UserId == userId);
            var matching = string.IsNullOrWhiteSpace(query.Search)
                ? mine
                : mine.Where(cu => search.Clients(db.Clients, query.Search).Select(c => c.Id).Contains(cu.ClientId));
            var total = await matching.CountUpToLimitAsync(cancellationToken);
            var activeId = account.Account?.ClientId;

            // A user's own list, sorted owned first: paged by position, which costs little at the size of one user's accounts.
            var rows = matching
                .OrderByDescending(cu => cu.Client.OwnerUserId == userId)
                .ThenBy(cu => cu.ClientId)
                .Select(cu => new AccountRow(
                    cu.ClientId,
                    cu.Client.FirstName,
                    cu.Client.LastName,
                    cu.Client.CompanyName,
                    cu.Client.OwnerUserId == userId,
                    cu.Client.Status == ClientStatus.Closed,
                    cu.ClientId == activeId));
            var page = await Keyset.ReadByPositionAsync(rows, query.Page ?? PageRequest.First, PageSize, total, cancellationToken);
            var hasAny = !total.IsZero || (!string.IsNullOrWhiteSpace(query.Search) && await mine.AnyAsync(cancellationToken));

            return new Result(page, hasAny, await LostAsync(userId, cancellationToken));
        }

        private async Task<LostAccount?> LostAsync(int userId, CancellationToken cancellationToken)
        {
            if (account.Account is not null || account.RequestedClientId is not { } requested)
            {
                return null;
            }

            var client = await db.Clients.Where(c => c.Id == requested)
                .Select(c => new { c.FirstName, c.LastName, c.CompanyName, c.Status, Member = c.Users.Any(cu => cu.UserId == userId) })
                .AsNoTracking()
                .FirstOrDefaultAsync(cancellationToken);
            return client is null
                ? null
                : new LostAccount(Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName), client.Status == ClientStatus.Closed && client.Member);
        }
    }
}
