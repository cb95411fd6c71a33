using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Features.Settings;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Clients;

/// <summary>
/// The owner asks for their account to be closed, with a reason, confirming with their password. The provider's setting
/// "Close Accounts at the Owner's Request Without Approval" closes it at once; otherwise the request waits on the client's
/// admin page, where an admin approves (the account is Closed) or rejects it. A Closed account is refused on Choose
/// Account and by every session on its next request, and becomes a candidate for retention pruning; its users keep their
/// other accounts. Each step is logged and mailed to the owner.
/// </summary>
public static class RequestClosure
{
    public const string WrongPassword = "That is not your password.";

    public sealed class Command : ICommand<bool>
    {
        public string? Reason { get; init; }

        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).RequiredText("A reason", Client.ClosureReasonMax);
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password to confirm.")
                .MaximumLength(FieldLengths.PasswordMax).WithMessage(WrongPassword);
        }
    }

    /// <summary>An admin closes the account whose owner asked for it.</summary>
    public sealed record Approve(int ClientId) : ICommand, ITransactional;

    /// <summary>An admin turns the owner's request down; the account stays as it is.</summary>
    public sealed record Reject(int ClientId) : ICommand, ITransactional;

    /// <summary>The account's waiting closure request, if any, for the client's admin page.</summary>
    public sealed record PendingQuery(int ClientId) : IQuery<Pending?>;

    public sealed record Pending(DateTimeOffset RequestedAt, string Reason);

    /// <summary>Answers true when the account was closed at once, false when the request waits for an admin.</summary>
    internal sealed class Handler(
        PortalDbContext db, UserManager<User> users, AccountContext account, SystemSettings settings, WriteUnit writes, ActivityWriter activity, Outbox outbox, TimeProvider time)
        : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            var owner = await db.Users.SingleAsync(u => u.Id == account.UserId, cancellationToken);
            if (!await users.CheckPasswordAsync(owner, command.Password!))
            {
                throw Refuse.Because(nameof(Command.Password), WrongPassword);
            }

            var immediately = (await settings.GetAsync(cancellationToken)).CloseWithoutApproval;
            var reason = command.Reason!.Trim();
            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                if (!await db.LockAsync<Client>(clientId, ct))
                {
                    throw Refuse.NotFound($"Client {clientId}");
                }

                var client = await db.Clients.SingleAsync(c => c.Id == clientId, ct);
                if (client.OwnerUserId != owner.Id)
                {
                    throw Refuse.Because("Only the account's owner can ask for it to be closed.");
                }

                if (client.CannotRequestClosure() is { } refusal)
                {
                    throw Refuse.Because(refusal);
                }

                var now = time.GetUtcNow();
                client.RequestClosure(reason, now);
                activity.Record($"Closure of {client.DisplayName} (#{client.Id}) requested by {owner.Email}: {reason}", client.Id);
                if (immediately)
                {
                    client.Close(now);
                    activity.Record($"Client {client.DisplayName} (#{client.Id}) closed at its owner's request", client.Id);
                    outbox.Queue(owner.Email!, new ClosureNoticeMail(owner.FirstName, client.DisplayName, $"{client.DisplayName} is closed",
                        $"As you asked, {client.DisplayName} is now closed. Nobody can work in it any more; your login and any other accounts you use are unchanged.",
                        outbox.Link("/user/accounts")), client.Id, owner.Id);
                }
                else
                {
                    outbox.Queue(owner.Email!, new ClosureNoticeMail(owner.FirstName, client.DisplayName, $"We received your request to close {client.DisplayName}",
                        $"You asked for {client.DisplayName} to be closed. It stays open until we have reviewed the request; we will tell you by e-mail.",
                        outbox.Link("/dashboard")), client.Id, owner.Id);
                }

                await db.SaveChangesAsync(ct);
                return immediately;
            }, cancellationToken);
        }
    }

    internal sealed class ApproveHandler(PortalDbContext db, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Approve>
    {
        public async ValueTask<Unit> Handle(Approve command, CancellationToken cancellationToken)
        {
            var client = await WaitingAsync(db, command.ClientId, cancellationToken);
            client.Close(time.GetUtcNow());
            activity.Record($"Client {client.DisplayName} (#{client.Id}) closed: its owner's request approved", client.Id);
            outbox.Queue(client.Owner.Email!, new ClosureNoticeMail(client.Owner.FirstName, client.DisplayName, $"{client.DisplayName} is closed",
                $"Your request was approved: {client.DisplayName} is now closed. Nobody can work in it any more; your login and any other accounts you use are unchanged.",
                outbox.Link("/user/accounts")), client.Id, client.OwnerUserId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class RejectHandler(PortalDbContext db, ActivityWriter activity, Outbox outbox) : ICommandHandler<Reject>
    {
        public async ValueTask<Unit> Handle(Reject command, CancellationToken cancellationToken)
        {
            var client = await WaitingAsync(db, command.ClientId, cancellationToken);
            client.RejectClosure();
            activity.Record($"Closure request for {client.DisplayName} (#{client.Id}) rejected; the account stays open", client.Id);
            outbox.Queue(client.Owner.Email!, new ClosureNoticeMail(client.Owner.FirstName, client.DisplayName, $"Your request to close {client.DisplayName}",
                $"Your request to close {client.DisplayName} was not approved, and the account stays open. Please contact us if you have questions.",
                outbox.Link("/dashboard")), client.Id, client.OwnerUserId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class PendingHandler(PortalDbContext db) : IQueryHandler<PendingQuery, Pending?>
    {
        public async ValueTask<Pending?> Handle(PendingQuery query, CancellationToken cancellationToken)
        {
            var row = await db.Clients.AsNoTracking().Where(c => c.Id == query.ClientId && c.ClosureRequestedAt != null && c.Status != ClientStatus.Closed)
                .Select(c => new { c.ClosureRequestedAt, c.ClosureReason }).FirstOrDefaultAsync(cancellationToken);
            return row is null ? null : new Pending(row.ClosureRequestedAt!.Value, row.ClosureReason ?? "");
        }
    }

    private static async Task<Client> WaitingAsync(PortalDbContext db, int clientId, CancellationToken cancellationToken)
    {
        if (!await db.LockAsync<Client>(clientId, cancellationToken))
        {
            throw Refuse.NotFound($"Client {clientId}");
        }

        var client = await db.Clients.Include(c => c.Owner).SingleAsync(c => c.Id == clientId, cancellationToken);
        return client.AwaitsClosure ? client : throw Refuse.Because("No closure request is waiting for this account: it was decided already or withdrawn.");
    }
}
