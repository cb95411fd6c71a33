using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>
/// Switch Account: makes one of the user's open accounts the session's active account without a new login, and
/// logs the switch. Posted from the Choose Account page (<c>/user/accounts</c>), which lists the accounts, and from
/// the account switcher in the bar, which offers the few the user worked in last (<see cref="Recent"/>).
/// </summary>
public static class SwitchAccount
{
    public sealed record Command(int ClientId) : ICommand<string>;

    /// <summary>How many other accounts the switcher in the bar lists; the rest are one click away on Choose Account.</summary>
    public const int SwitcherSize = 5;

    /// <summary>The user's other open accounts, the ones they worked in last first, for the switcher in the bar.</summary>
    public sealed record Recent : IQuery<RecentAccounts>;

    /// <param name="HasMore">Whether the user has open accounts beyond <see cref="Accounts"/>.</param>
    public sealed record RecentAccounts(IReadOnlyList<AccountChoice> Accounts, bool HasMore);

    public sealed record AccountChoice(int ClientId, string DisplayName);

    public const string ClosedMessage = "This account is no longer active.";

    internal sealed class Handler(PortalDbContext db, AccountContext account, ClientSignIn signIn, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            var membership = await db.ClientUsers.Include(cu => cu.Client)
                .SingleOrDefaultAsync(cu => cu.UserId == account.UserId && cu.ClientId == command.ClientId, cancellationToken)
                ?? throw Refuse.Because("That account is not one of yours.");
            if (membership.Client.Status == ClientStatus.Closed)
            {
                throw Refuse.Because(ClosedMessage);
            }

            membership.RecordLogin(time.GetUtcNow());
            activity.ForUser(account.UserId, membership.ClientId, $"Switched to account {membership.Client.DisplayName} (#{membership.ClientId})");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.SwitchAccountAsync(membership.ClientId);
            return membership.Client.DisplayName;
        }
    }

    internal sealed class RecentHandler(PortalDbContext db, AccountContext account) : IQueryHandler<Recent, RecentAccounts>
    {
        public async ValueTask<RecentAccounts> Handle(Recent query, CancellationToken cancellationToken)
        {
            var activeId = account.Account?.ClientId;
            var rows = await ClientUser.LastUsedFirst(db.ClientUsers.AsNoTracking()
                    .Where(cu => cu.UserId == account.UserId && cu.ClientId != activeId && cu.Client.Status != ClientStatus.Closed))
                .Select(cu => new { cu.ClientId, cu.Client.FirstName, cu.Client.LastName, cu.Client.CompanyName })
                .Take(SwitcherSize + 1)
                .ToListAsync(cancellationToken);
            return new RecentAccounts(
                rows.Take(SwitcherSize).Select(r => new AccountChoice(r.ClientId, Client.DisplayNameOf(r.FirstName, r.LastName, r.CompanyName))).ToList(),
                rows.Count > SwitcherSize);
        }
    }
}
