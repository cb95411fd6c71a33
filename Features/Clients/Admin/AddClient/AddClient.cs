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

    public sealed class Command : ProfileForm, ICommand<Result>, ITransactional
    {
        public OwnerKind Owner { get; set; }
        public int? ExistingUserId { get; init; }
        public bool SendWelcomeEmail { get; init; }
    }

    public sealed record Result(int ClientId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            this.AddProfileRules();
            RuleFor(x => x.Owner).IsInEnum().WithMessage("Choose who owns the account.");
            When(x => x.Owner == OwnerKind.ExistingUser, () => RuleFor(x => x.ExistingUserId).NotNull().WithMessage(UnknownUser));
        }
    }

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, Outbox outbox, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var profile = command.ToProfile();
            var now = time.GetUtcNow();
            var isNewUser = command.Owner == OwnerKind.NewUser;
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
                catch (DbUpdateException)
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

            if (isNewUser)
            {
                var token = await users.GeneratePasswordResetTokenAsync(owner);
                var link = outbox.Link(PasswordResetLink.PathFor(owner.Id, token));
                outbox.Queue(
                    owner.Email!,
                    new SetPasswordMail(owner.FirstName, owner.Email!, client.DisplayName, link, outbox.Link("/password/forgot"), outbox.PasswordLinkLifetime),
                    client.Id,
                    owner.Id);
            }

            // A new owner's set-password mail is their welcome: a "log in" mail before any password exists only confuses.
            if (command.SendWelcomeEmail && !isNewUser)
            {
                outbox.Queue(owner.Email!, new WelcomeMail(owner.FirstName, owner.Email!, client.DisplayName, outbox.Link("/login")), client.Id, owner.Id);
            }

            activity.Record(
                $"Admin created client account {client.DisplayName} (#{client.Id}) owned by {(isNewUser ? "new" : "existing")} user {owner.Email} (#{owner.Id})",
                client.Id);
            await db.SaveChangesAsync(cancellationToken);
            return new Result(client.Id);
        }
    }
}
