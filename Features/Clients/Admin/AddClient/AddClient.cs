using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Identity;

namespace Portal.Features.Clients;

/// <summary>
/// The admin opens a client account and chooses its owner: a new user built from the profile, who chooses a password
/// from an e-mailed link (the admin never sets or sees it), or an existing user picked by search.
/// </summary>
public static class AddClient
{
    public const string UserEmailTaken = "A user already exists with that email address";
    public const string UnknownUser = "Choose the owner from the search results.";

    public enum OwnerKind
    {
        NewUser,
        ExistingUser,
    }

    public sealed class Command : ProfileForm, ICommand<Result>
    {
        public OwnerKind Owner { get; set; }
        public int? ExistingUserId { get; init; }
        public bool SendWelcomeEmail { get; init; }
    }

    /// <summary><paramref name="SetPasswordMailQueued"/>: false when a new owner's set-password mail could not be queued (the database was busy).</summary>
    public sealed record Result(int ClientId, bool SetPasswordMailQueued = true);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            this.AddProfileRules();
            RuleFor(x => x.Owner).IsInEnum().WithMessage("Choose who owns the account.");
            When(x => x.Owner == OwnerKind.ExistingUser, () => RuleFor(x => x.ExistingUserId).NotNull().WithMessage(UnknownUser));
        }
    }

    /// <summary>
    /// The account and its owner are written in one unit, under a lock of the contact address it takes (no two accounts
    /// share one). A new owner's set-password link carries a token made with Data Protection, which does not run under the
    /// write lock: it is made after the commit and its mail queued in a second, small unit.
    /// </summary>
    internal sealed class Handler(PortalDbContext db, WriteUnit writes, UserManager<User> users, Outbox outbox, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var profile = command.ToProfile();
            var isNewUser = command.Owner == OwnerKind.NewUser;
            var (clientId, clientName, ownerId) = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => OpenAsync(command, profile, isNewUser, ct), cancellationToken);
            if (!isNewUser)
            {
                return new Result(clientId);
            }

            var owner = await db.Users.AsNoTracking().SingleAsync(u => u.Id == ownerId, cancellationToken);
            var token = await users.GeneratePasswordResetTokenAsync(owner);
            var link = outbox.Link(PasswordResetLink.PathFor(owner.Id, token));
            try
            {
                await writes.RunAsync(WriteUnitNames.Of(typeof(Command)) + " set-password mail", async ct =>
                {
                    outbox.Queue(
                        owner.Email!,
                        new SetPasswordMail(owner.FirstName, owner.Email!, clientName, link, outbox.Link("/password/forgot"), outbox.PasswordLinkLifetime),
                        clientId,
                        owner.Id);
                    await db.SaveChangesAsync(ct);
                }, cancellationToken);
            }
            catch (BusyException)
            {
                // The account is written whole; only its notice waits: the admin sends a reset from the Users tab.
                return new Result(clientId, SetPasswordMailQueued: false);
            }

            return new Result(clientId);
        }

        private async Task<(int ClientId, string ClientName, int OwnerId)> OpenAsync(Command command, ClientProfile profile, bool isNewUser, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            await db.LockValueAsync(nameof(ClientEmails), profile.Email.ToLowerInvariant(), cancellationToken);
            if (isNewUser && await users.FindByEmailAsync(profile.Email) is not null)
            {
                throw Refuse.Because(nameof(Command.Email), UserEmailTaken);
            }

            if (await ClientEmails.TakenAsync(db, profile.Email, null, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.Email), ClientEmails.Taken);
            }

            User owner;
            if (isNewUser)
            {
                owner = new User
                {
                    UserName = profile.Email,
                    Email = profile.Email,
                    FirstName = profile.FirstName,
                    LastName = profile.LastName,
                    CreatedAt = now,
                };

                // No password: the owner chooses one from the e-mailed link.
                IdentityResult created;
                try
                {
                    created = await users.CreateAsync(owner);
                }
                catch (DbUpdateException e) when (Contention.IsUniqueViolation(e))
                {
                    // The unique e-mail index: the address was taken between the check above and this insert.
                    throw Refuse.Because(nameof(Command.Email), UserEmailTaken);
                }

                created.RefuseUnlessSucceeded(UserEmailTaken, nameof(Command.Email));
            }
            else
            {
                owner = await db.Users.SingleOrDefaultAsync(u => u.Id == command.ExistingUserId, cancellationToken)
                    ?? throw Refuse.Because(nameof(Command.ExistingUserId), UnknownUser);
            }

            var client = Client.Open(profile, owner, now);
            db.Clients.Add(client);
            await db.SaveChangesAsync(cancellationToken);

            // A new owner's set-password mail is their welcome: a "log in" mail before any password exists only confuses.
            if (command.SendWelcomeEmail && !isNewUser)
            {
                outbox.Queue(owner.Email!, new WelcomeMail(owner.FirstName, owner.Email!, client.DisplayName, outbox.Link("/login")), client.Id, owner.Id);
            }

            activity.Record(
                $"Admin created client account {client.DisplayName} (#{client.Id}) owned by {(isNewUser ? "new" : "existing")} user {owner.Email} (#{owner.Id})",
                client.Id);
            await db.SaveChangesAsync(cancellationToken);
            return (client.Id, client.DisplayName, owner.Id);
        }
    }
}
