using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Membership;

/// <summary>
/// "This belongs to B. Continue as B?": the question asked when a link (from an e-mail or a bookmark) leads to an object
/// of another of the user's accounts than the active one. Only the user's own open accounts are named; confirming posts
/// <see cref="SwitchAccount.Command"/> and goes on to the link. A GET never switches.
/// </summary>
public static class ContinueAs
{
    /// <summary>The name of the user's open account <paramref name="ClientId"/>; null when it is not one of theirs.</summary>
    public sealed record Query(int ClientId) : IQuery<Account?>;

    public sealed record Account(string DisplayName, string? ActiveName);

    internal sealed class Handler(PortalDbContext db, AccountContext account) : IQueryHandler<Query, Account?>
    {
        public async ValueTask<Account?> Handle(Query query, CancellationToken cancellationToken)
        {
            var userId = account.UserId;
            var client = await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.UserId == userId && cu.ClientId == query.ClientId && cu.Client.Status != ClientStatus.Closed)
                .Select(cu => new { cu.Client.FirstName, cu.Client.LastName, cu.Client.CompanyName })
                .FirstOrDefaultAsync(cancellationToken);
            return client is null ? null : new Account(Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName), account.Account?.DisplayName);
        }
    }
}
