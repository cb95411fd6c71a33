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
/// logs the switch. Posted from the Choose Account page (<c>/user/accounts</c>), which lists the accounts.
/// </summary>
public static class SwitchAccount
{
    public sealed record Command(int ClientId) : ICommand<string>;

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
}
