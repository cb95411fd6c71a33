using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;

namespace Portal.Features.ChooseAccount;

/// <summary>
/// The Choose Account page after login and Switch Account at any time: the user's accounts, owned first, closed ones
/// shown but refused. Choosing one makes it the session's active account without a new login.
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
