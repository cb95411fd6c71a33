using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Membership;

/// <summary>
/// A user gives up their own access to the active account (from the Hello menu). Never the owner, who must hand the
/// account on first. The owner is told by e-mail; the user's login and other accounts are untouched; this session moves
/// to the user's most recently used other open account, or to Choose Account when there is none, and every other
/// session of theirs loses the account on its next request.
/// </summary>
public static class LeaveAccount
{
    public sealed class Command : IConfirmed, ICommand<Result>
    {
        public bool Confirm { get; init; }
    }

    /// <param name="LeftName">The account the user left.</param>
    /// <param name="NowIn">The account the session now works in; null when the user has no other open account.</param>
    public sealed record Result(string LeftName, string? NowIn);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm that you want to leave this account.");
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, WriteUnit writes, ActivityWriter activity, Outbox outbox, ClientSignIn signIn, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            var userId = account.UserId;
            var result = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                if (!await db.LockAsync<Client>(clientId, ct))
                {
                    throw Refuse.NotFound($"Client {clientId}");
                }

                var association = await db.ClientUsers.Include(cu => cu.Client).Include(cu => cu.User)
                    .SingleOrDefaultAsync(cu => cu.ClientId == clientId && cu.UserId == userId, ct)
                    ?? throw Refuse.NotFound($"User {userId} of client {clientId}");
                if (association.CannotLeave() is { } refusal)
                {
                    throw Refuse.Because(refusal);
                }

                var client = association.Client;
                var leaver = association.User;
                db.ClientUsers.Remove(association);
                activity.Record($"User {leaver.Email} access removed from {client.DisplayName} (#{client.Id}): left the account", client.Id);
                var owner = await db.Users.Where(u => u.Id == client.OwnerUserId).Select(u => new { u.Id, u.Email, u.FirstName }).SingleAsync(ct);
                outbox.Queue(owner.Email!, new MemberLeftMail(owner.FirstName, client.DisplayName, $"{leaver.FirstName} {leaver.LastName}", leaver.Email!,
                    outbox.Link("/account/users")), client.Id, owner.Id);

                // The session goes on in the account the user last worked in, as a switch would take it there.
                var next = await ClientUser.LastUsedFirst(db.ClientUsers.Include(cu => cu.Client)
                        .Where(cu => cu.UserId == userId && cu.ClientId != clientId && cu.Client.Status != ClientStatus.Closed))
                    .FirstOrDefaultAsync(ct);
                if (next is not null)
                {
                    next.RecordLogin(time.GetUtcNow());
                    activity.ForUser(userId, next.ClientId, $"Switched to account {next.Client.DisplayName} (#{next.ClientId})");
                }

                // An ownership transfer to this user in between changes the association's version and makes the delete miss.
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException)
                {
                    db.ChangeTracker.Clear();
                    throw Refuse.Conflict("This account's users changed at the same time. Review your access and try again.");
                }

                return (Left: new Result(client.DisplayName, next?.Client.DisplayName), NextId: next?.ClientId);
            }, cancellationToken);

            if (result.NextId is { } nextId)
            {
                await signIn.SwitchAccountAsync(nextId);
            }
            else
            {
                await signIn.ClearAccountAsync();
            }

            return result.Left;
        }
    }
}
