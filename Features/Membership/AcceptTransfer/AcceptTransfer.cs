using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Membership;

/// <summary>
/// The user an owner chose (<see cref="TransferOwnership"/>) accepts the account from the e-mailed link. The link is
/// consumed by a conditional update that only a pending, unexpired offer passes, and ownership moves through
/// <see cref="MakeOwner.Command"/> in the same transaction: of two accepts at once, one transfers and the other finds
/// nothing. Refused with nothing changed: a link that is not the signed-in user's, cancelled, expired or used; an offer
/// whose maker no longer owns the account, or whose user was removed from it meanwhile.
/// </summary>
public static class AcceptTransfer
{
    public const string NoLongerMember = "You are no longer a user of this account, so it cannot be handed to you. Nothing was changed.";

    public sealed record Query(string? Token) : IQuery<Offer?>;

    public sealed record Offer(int ClientId, string ClientName, string FromName, DateTimeOffset ExpiresAt);

    public sealed record Command(string? Token) : ICommand<string>;

    /// <summary>The offers waiting for the signed-in user, for the dashboard's banner.</summary>
    public sealed record MineQuery : IQuery<IReadOnlyList<Offer>>;

    internal static async Task<OwnershipTransfer?> FindAsync(PortalDbContext db, string? token, int userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Tokens.Hash(token);
        var transfer = await db.OwnershipTransfers.Include(t => t.Client).Include(t => t.FromUser).Include(t => t.ToUser)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return transfer is not null && transfer.Client.Status != ClientStatus.Closed && transfer.MayBeAcceptedBy(userId, transfer.Client.OwnerUserId, now)
            ? transfer
            : null;
    }

    internal sealed class QueryHandler(PortalDbContext db, AccountContext account, TimeProvider time) : IQueryHandler<Query, Offer?>
    {
        public async ValueTask<Offer?> Handle(Query query, CancellationToken cancellationToken) =>
            await FindAsync(db, query.Token, account.UserId, time.GetUtcNow(), cancellationToken) is { } t
                ? new Offer(t.ClientId, t.Client.DisplayName, $"{t.FromUser.FirstName} {t.FromUser.LastName}", t.ExpiresAt)
                : null;
    }

    internal sealed class MineHandler(PortalDbContext db, AccountContext account, TimeProvider time) : IQueryHandler<MineQuery, IReadOnlyList<Offer>>
    {
        public async ValueTask<IReadOnlyList<Offer>> Handle(MineQuery query, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var userId = account.UserId;
            var rows = await db.OwnershipTransfers.AsNoTracking()
                .Where(t => t.ToUserId == userId && t.Status == OwnershipTransferStatus.Pending && t.Client.Status != ClientStatus.Closed
                    && t.Client.OwnerUserId == t.FromUserId && t.Client.Users.Any(cu => cu.UserId == userId))
                .Select(t => new { t.ClientId, t.Client.FirstName, t.Client.LastName, t.Client.CompanyName, From = t.FromUser.FirstName + " " + t.FromUser.LastName, t.ExpiresAt })
                .ToListAsync(cancellationToken);
            return rows.Where(r => r.ExpiresAt > now)
                .Select(r => new Offer(r.ClientId, Client.DisplayNameOf(r.FirstName, r.LastName, r.CompanyName), r.From, r.ExpiresAt))
                .ToList();
        }
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, WriteUnit writes, ISender sender, ActivityWriter activity, Outbox outbox, ClientSignIn signIn, TimeProvider time)
        : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            var userId = account.UserId;
            var (clientId, name) = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var now = time.GetUtcNow();
                var found = await FindAsync(db, command.Token, userId, now, ct) ?? throw Refuse.NotFound("Ownership transfer");
                if (!await db.LockAsync<Client>(found.ClientId, ct))
                {
                    throw Refuse.NotFound($"Client {found.ClientId}");
                }

                // Read again under the account's lock: the owner may have changed, or the user been removed, meanwhile.
                db.ChangeTracker.Clear();
                var transfer = await FindAsync(db, command.Token, userId, now, ct) ?? throw Refuse.NotFound("Ownership transfer");
                if (!await db.ClientUsers.AnyAsync(cu => cu.ClientId == transfer.ClientId && cu.UserId == userId, ct))
                {
                    throw Refuse.Because(NoLongerMember);
                }

                // The link is used up by whoever's update changes the pending row; the other accept of the same link changes nothing.
                var consumed = await db.OwnershipTransfers
                    .Where(t => t.Id == transfer.Id && t.Status == OwnershipTransferStatus.Pending && t.TokenHash == transfer.TokenHash)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, OwnershipTransferStatus.Accepted).SetProperty(t => t.DecidedAt, now), ct);
                if (consumed != 1)
                {
                    throw Refuse.NotFound("Ownership transfer");
                }

                await sender.Send(new MakeOwner.Command { ClientId = transfer.ClientId, UserId = userId, Confirm = true }, ct);

                var client = transfer.Client;
                var from = transfer.FromUser;
                var to = transfer.ToUser;
                activity.Record($"Ownership transfer of {client.DisplayName} (#{client.Id}) from {from.Email} accepted by {to.Email}", client.Id);
                var text = $"{to.FirstName} {to.LastName} ({to.Email}) accepted the ownership of {client.DisplayName} and is now its owner. {from.FirstName} {from.LastName} ({from.Email}) keeps access with every permission.";
                outbox.Queue(from.Email!, new OwnershipTransferNoticeMail(from.FirstName, client.DisplayName, text, outbox.Link("/dashboard"), Accepted: true), client.Id, from.Id);
                outbox.Queue(to.Email!, new OwnershipTransferNoticeMail(to.FirstName, client.DisplayName, text, outbox.Link("/account/users"), Accepted: true), client.Id, to.Id);
                await db.SaveChangesAsync(ct);
                return (client.Id, client.DisplayName);
            }, cancellationToken);

            await signIn.SwitchAccountAsync(clientId);
            return name;
        }
    }
}
