using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Membership;

/// <summary>
/// The owner offers the account to another of its users, confirming with their password: the chosen user is mailed a
/// one-time link valid for seven days (and sees a banner) and becomes the owner only when they accept it
/// (<see cref="AcceptTransfer"/>). One offer is pending per account at a time; a new one replaces it. The owner, or an
/// admin on the client's Users tab, may cancel it until it is accepted. Every step is logged and mailed to both.
/// </summary>
public static class TransferOwnership
{
    public const string WrongPassword = "That is not your password.";

    public sealed class Command : ICommand<string>
    {
        public int? UserId { get; init; }

        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotNull().WithMessage("Choose the user who should become the owner.")
                .GreaterThan(0).WithMessage("Choose the user who should become the owner.");
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password to confirm.")
                .MaximumLength(FieldLengths.PasswordMax).WithMessage(WrongPassword);
        }
    }

    /// <summary>Cancels the account's pending transfer <paramref name="TransferId"/>: by its owner (their active account) or an admin (the client's Users tab).</summary>
    public sealed record Cancel(int ClientId, int TransferId) : ICommand, ITransactional;

    /// <summary>The account's pending transfer, if there is one.</summary>
    public sealed record PendingQuery(int ClientId) : IQuery<Pending?>;

    public sealed record Pending(int Id, int ToUserId, string ToName, string ToEmail, string FromEmail, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

    /// <summary>The users the owner may hand the account to: every associated user but the owner.</summary>
    public sealed record CandidatesQuery(int ClientId) : IQuery<IReadOnlyList<Candidate>>;

    public sealed record Candidate(int UserId, string Name, string Email);

    internal sealed class Handler(
        PortalDbContext db, UserManager<User> users, AccountContext account, WriteUnit writes, ActivityWriter activity, Outbox outbox, TimeProvider time)
        : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            var owner = await db.Users.SingleAsync(u => u.Id == account.UserId, cancellationToken);
            if (!await users.CheckPasswordAsync(owner, command.Password!))
            {
                throw Refuse.Because(nameof(Command.Password), WrongPassword);
            }

            var token = Tokens.New();
            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                if (!await db.LockAsync<Client>(clientId, ct))
                {
                    throw Refuse.NotFound($"Client {clientId}");
                }

                var client = await db.Clients.SingleAsync(c => c.Id == clientId, ct);
                if (client.OwnerUserId != account.UserId)
                {
                    throw Refuse.Because("Only the account's owner can transfer its ownership.");
                }

                var target = await db.ClientUsers.Include(cu => cu.User).Include(cu => cu.Client)
                    .SingleOrDefaultAsync(cu => cu.ClientId == clientId && cu.UserId == command.UserId, ct);
                if (OwnershipTransfer.CannotOffer(client, target) is { } refusal)
                {
                    throw Refuse.Because(nameof(Command.UserId), refusal);
                }

                var now = time.GetUtcNow();
                foreach (var replaced in await db.OwnershipTransfers.Include(t => t.ToUser)
                    .Where(t => t.ClientId == clientId && t.Status == OwnershipTransferStatus.Pending).ToListAsync(ct))
                {
                    if (replaced.IsPending(now))
                    {
                        replaced.Cancel(now);
                        activity.Record($"Ownership transfer of {client.DisplayName} (#{client.Id}) to {replaced.ToUser.Email} cancelled: replaced by a new one", client.Id);
                    }
                }

                var transfer = OwnershipTransfer.Offer(client, target!, Tokens.Hash(token), now);
                db.OwnershipTransfers.Add(transfer);
                var to = target!.User;
                activity.Record($"Ownership transfer of {client.DisplayName} (#{client.Id}) offered by {owner.Email} to {to.Email}", client.Id);
                outbox.Queue(to.Email!, new OwnershipOfferedMail(to.FirstName, client.DisplayName, $"{owner.FirstName} {owner.LastName}", outbox.Link($"/ownership/{token}"),
                    transfer.ExpiresAt), client.Id, to.Id);
                outbox.Queue(owner.Email!, new OwnershipTransferNoticeMail(owner.FirstName, client.DisplayName,
                    $"You offered ownership of {client.DisplayName} to {to.FirstName} {to.LastName} ({to.Email}). They become the owner once they accept it from the e-mail we sent them; until then you can cancel the offer from User Management.",
                    outbox.Link("/account/users/transfer")), client.Id, owner.Id);
                await db.SaveChangesAsync(ct);
                return to.Email!;
            }, cancellationToken);
        }
    }

    internal sealed class CancelHandler(PortalDbContext db, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Cancel>
    {
        public async ValueTask<Unit> Handle(Cancel command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<Client>(command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound($"Client {command.ClientId}");
            }

            var now = time.GetUtcNow();
            var transfer = await db.OwnershipTransfers.Include(t => t.Client).Include(t => t.FromUser).Include(t => t.ToUser)
                .SingleOrDefaultAsync(t => t.Id == command.TransferId && t.ClientId == command.ClientId, cancellationToken);
            if (transfer is null || !transfer.IsPending(now))
            {
                throw Refuse.Because("This ownership transfer is no longer pending: it was accepted, cancelled or has expired.");
            }

            transfer.Cancel(now);
            var client = transfer.Client;
            activity.Record($"Ownership transfer of {client.DisplayName} (#{client.Id}) to {transfer.ToUser.Email} cancelled", client.Id);
            var text = $"The offer to hand ownership of {client.DisplayName} from {transfer.FromUser.FirstName} {transfer.FromUser.LastName} to {transfer.ToUser.FirstName} {transfer.ToUser.LastName} was cancelled. Its link no longer works, and {transfer.FromUser.FirstName} {transfer.FromUser.LastName} remains the owner.";
            foreach (var user in new[] { transfer.FromUser, transfer.ToUser })
            {
                outbox.Queue(user.Email!, new OwnershipTransferNoticeMail(user.FirstName, client.DisplayName, text, outbox.Link("/dashboard"), Cancelled: true), client.Id, user.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class PendingHandler(PortalDbContext db, TimeProvider time) : IQueryHandler<PendingQuery, Pending?>
    {
        public async ValueTask<Pending?> Handle(PendingQuery query, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var rows = await db.OwnershipTransfers.AsNoTracking()
                .Where(t => t.ClientId == query.ClientId && t.Status == OwnershipTransferStatus.Pending)
                .OrderByDescending(t => t.Id)
                .Select(t => new { t.Id, t.ToUserId, t.ToUser.FirstName, t.ToUser.LastName, t.ToUser.Email, From = t.FromUser.Email, t.CreatedAt, t.ExpiresAt })
                .ToListAsync(cancellationToken);
            return rows.Where(t => t.ExpiresAt > now)
                .Select(t => new Pending(t.Id, t.ToUserId, $"{t.FirstName} {t.LastName}", t.Email ?? "", t.From ?? "", t.CreatedAt, t.ExpiresAt))
                .FirstOrDefault();
        }
    }

    internal sealed class CandidatesHandler(PortalDbContext db) : IQueryHandler<CandidatesQuery, IReadOnlyList<Candidate>>
    {
        public async ValueTask<IReadOnlyList<Candidate>> Handle(CandidatesQuery query, CancellationToken cancellationToken) =>
            await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.ClientId == query.ClientId && cu.UserId != cu.Client.OwnerUserId)
                .OrderBy(cu => cu.User.FirstName).ThenBy(cu => cu.User.LastName).ThenBy(cu => cu.UserId)
                .Select(cu => new Candidate(cu.UserId, cu.User.FirstName + " " + cu.User.LastName, cu.User.Email ?? ""))
                .ToListAsync(cancellationToken);
    }
}
