using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Identity;
using Portal.Features.Settings;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>
/// Accepting an invitation link. Whoever holds a valid link may accept it with any user (it is not e-mail
/// verification), unless the admin made invitations e-mail-bound. The link is consumed atomically: of two
/// simultaneous accepts, exactly one wins.
/// </summary>
public static class AcceptInvitation
{
    public const string NoPendingInvite = "No pending invite matches this link. It may have expired, been cancelled or already been used.";

    public const string SecondFactorFirst = "This login uses two-factor authentication. Log in on the login page first, then open the invitation link again to accept it.";

    public sealed record Query(string? Token) : IQuery<View?>;

    public sealed record View(int ClientId, string ClientName, string InvitedEmail, string SentBy, DateTimeOffset ExpiresAt, bool OnlyInvitedEmailMayAccept, PermissionSet Permissions);

    internal sealed class QueryHandler(PortalDbContext db, InvitationMailer mail, SystemSettings settings, TimeProvider time) : IQueryHandler<Query, View?>
    {
        public async ValueTask<View?> Handle(Query query, CancellationToken cancellationToken)
        {
            var invitation = await Acceptance.FindUsableAsync(db, query.Token, time.GetUtcNow(), cancellationToken);
            return invitation is null
                ? null
                : new View(invitation.ClientId, invitation.Client.DisplayName, invitation.Email, await mail.SenderNameAsync(invitation, cancellationToken), invitation.ExpiresAt,
                    (await settings.GetAsync(cancellationToken)).OnlyInvitedEmailMayAccept, invitation.PermissionSet);
        }
    }

    public enum Outcome
    {
        Accepted,
        AlreadyMember,
        WrongEmail,
        LoginFailed,
        Declined,
    }

    public sealed record Result(Outcome Outcome, int ClientId = 0, string ClientName = "");

    public static string WrongEmailFor(string clientName) =>
        $"This invitation to {clientName} was sent to another email address, and only that address may accept it. Log in with that address, or ask for a new invitation.";

    /// <summary>Accepts the invitation for the signed-in user.</summary>
    public sealed record Command(string? Token, int UserId) : ICommand<Result>, ITransactional;

    internal sealed class Handler(PortalDbContext db, Acceptance acceptance) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var invitation = await acceptance.FindAsync(command.Token, cancellationToken);
            var user = await db.Users.SingleAsync(u => u.Id == command.UserId, cancellationToken);
            if (await acceptance.IsRefusedAsync(invitation, user.Email, cancellationToken))
            {
                return new Result(Outcome.WrongEmail, invitation.ClientId, invitation.Client.DisplayName);
            }

            return await acceptance.AcceptAsync(invitation, user, cancellationToken);
        }
    }

    /// <summary>
    /// The signed-in invitee declines: the link stops working, the account's activity log says who declined, and
    /// whoever sent the invitation (the user, or the admin) is told by e-mail.
    /// </summary>
    public sealed record Decline(string? Token, int UserId) : ICommand<Result>, ITransactional;

    internal sealed class DeclineHandler(PortalDbContext db, Acceptance acceptance, ActivityWriter activity, Outbox outbox) : ICommandHandler<Decline, Result>
    {
        public async ValueTask<Result> Handle(Decline command, CancellationToken cancellationToken)
        {
            var invitation = await acceptance.FindAsync(command.Token, cancellationToken);
            var user = await db.Users.Where(u => u.Id == command.UserId).Select(u => new { u.FirstName, u.LastName, u.Email }).SingleAsync(cancellationToken);
            var client = invitation.Client;
            invitation.Decline();
            activity.ForUser(command.UserId, client.Id,
                $"User {user.Email} declined the invitation sent to {invitation.Email} to {client.DisplayName} (#{client.Id})");

            var (inviter, inviterUserId) = await acceptance.InviterAsync(invitation, cancellationToken);
            if (!string.IsNullOrEmpty(inviter))
            {
                outbox.Queue(inviter, new InvitationDeclinedMail(client.DisplayName, $"{user.FirstName} {user.LastName} ({user.Email})".Trim(), invitation.Email),
                    client.Id, inviterUserId);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Accepted, cancelled or re-issued a moment ago: the link no longer matches a pending invite.
                db.ChangeTracker.Clear();
                throw Refuse.NotFound("Invitation");
            }

            return new Result(Outcome.Declined, client.Id, client.DisplayName);
        }
    }

    /// <summary>
    /// Log in and accept, in one step: a wrong password is logged (and counts towards lockout) and accepts nothing. The
    /// password check is slow and saves its own bookkeeping, so it runs before the write unit; the unit checks the link
    /// again (it may have been used meanwhile) and accepts; the cookie is issued after the commit.
    /// </summary>
    public sealed class LogIn : ICommand<Result>
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public string? Token { get; set; }

        public string? Email { get; init; }
        public string? Password { get; init; }
    }

    public sealed class LogInValidator : AbstractValidator<LogIn>
    {
        public LogInValidator()
        {
            RuleFor(x => x.Email).NotEmpty().WithMessage("Email address is required.").MaximumLength(FieldLengths.Email).WithMessage(Credentials.Failure);
            RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.").MaximumLength(FieldLengths.PasswordMax).WithMessage(Credentials.Failure);
        }
    }

    internal sealed class LogInHandler(
        Credentials credentials, ClientSignIn signIn, ActivityWriter activity, Acceptance acceptance, PortalDbContext db, WriteUnit writes, TimeProvider time)
        : ICommandHandler<LogIn, Result>
    {
        public async ValueTask<Result> Handle(LogIn command, CancellationToken cancellationToken)
        {
            // A link that no longer works, or an address the setting refuses, costs no password check.
            var invitation = await acceptance.FindAsync(command.Token, cancellationToken);
            if (await acceptance.IsRefusedAsync(invitation, command.Email, cancellationToken))
            {
                throw Refuse.Because(nameof(LogIn.Email), WrongEmailFor(invitation.Client.DisplayName));
            }

            if (await credentials.CheckAsync(command.Email!, command.Password!, cancellationToken) is not { } checkedUser)
            {
                return new Result(Outcome.LoginFailed);
            }

            // The second factor is asked on the login page only: this form cannot be a way around it.
            if (checkedUser.TwoFactorEnabled)
            {
                throw Refuse.Because(nameof(LogIn.Email), SecondFactorFirst);
            }

            var (result, user, sessionId) = await writes.RunAsync(WriteUnitNames.Of(typeof(LogIn)), async ct =>
            {
                var invitation = await acceptance.FindAsync(command.Token, ct);
                if (await acceptance.IsRefusedAsync(invitation, command.Email, ct))
                {
                    throw Refuse.Because(nameof(LogIn.Email), WrongEmailFor(invitation.Client.DisplayName));
                }

                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == checkedUser.Id, ct) ?? throw Refuse.NotFound("User");
                user.LastLoginAt = time.GetUtcNow();
                var session = signIn.StartSession(user, remember: false);
                activity.ForUser(user.Id, null, $"Logged in as {user.Email}");
                await db.SaveChangesAsync(ct);
                return (await acceptance.AcceptAsync(invitation, user, ct), user, session.Id);
            }, cancellationToken);

            await signIn.IssueCookieAsync(user, sessionId, result.Outcome == Outcome.Accepted ? result.ClientId : null);
            return result;
        }
    }

    /// <summary>A new login created from the invitation page, which accepts the invitation in the same step.</summary>
    public sealed class Register : ICommand<Result>
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public string? Token { get; set; }

        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public string? Password { get; init; }
    }

    public const string EmailTaken = "A user already exists with that email address. Log in instead to accept the invitation.";

    public sealed class RegisterValidator : AbstractValidator<Register>
    {
        public RegisterValidator()
        {
            RuleFor(x => x.FirstName).RequiredText("First name", FieldLengths.Name);
            RuleFor(x => x.LastName).RequiredText("Last name", FieldLengths.Name);
            RuleFor(x => x.Email).EmailField();
            RuleFor(x => x.Password).NewPassword(x => [x.Email, x.FirstName, x.LastName]);
        }
    }

    /// <summary>
    /// Creates the login and accepts in one write unit: if the accept loses a race for the link, no login is left
    /// behind. Accepting with the invited address verifies it; any other address gets the usual verification link. The
    /// password is hashed before the unit opens, and the cookie issued after it commits.
    /// </summary>
    internal sealed class RegisterHandler(
        PortalDbContext db, WriteUnit writes, UserManager<User> users, PasswordHashing passwords, ClientSignIn signIn, ActivityWriter activity,
        Acceptance acceptance, EmailVerification verification, TimeProvider time)
        : ICommandHandler<Register, Result>
    {
        public async ValueTask<Result> Handle(Register command, CancellationToken cancellationToken)
        {
            // A link that no longer works, or an address the setting refuses, costs no password hash.
            var email = command.Email!.Trim();
            var invitation = await acceptance.FindAsync(command.Token, cancellationToken);
            if (await acceptance.IsRefusedAsync(invitation, email, cancellationToken))
            {
                throw Refuse.Because(nameof(Register.Email), WrongEmailFor(invitation.Client.DisplayName));
            }

            var passwordHash = await passwords.HashAsync(command.Password!, cancellationToken);
            var (result, user, sessionId) = await writes.RunAsync(WriteUnitNames.Of(typeof(Register)), async ct =>
            {
                var invitation = await acceptance.FindAsync(command.Token, ct);
                if (await acceptance.IsRefusedAsync(invitation, email, ct))
                {
                    throw Refuse.Because(nameof(Register.Email), WrongEmailFor(invitation.Client.DisplayName));
                }

                var now = time.GetUtcNow();
                var user = new User
                {
                    UserName = email,
                    Email = email,
                    FirstName = command.FirstName!.Trim(),
                    LastName = command.LastName!.Trim(),
                    CreatedAt = now,
                    LastLoginAt = now,
                    PasswordHash = passwordHash,
                };
                var created = await users.CreateAsync(user);
                created.RefuseUnlessSucceeded(EmailTaken, nameof(Register.Password));

                var session = signIn.StartSession(user, remember: false);
                activity.ForUser(user.Id, null, $"Registered user {user.Email} from an invitation");
                await db.SaveChangesAsync(ct);
                var result = await acceptance.AcceptAsync(invitation, user, ct);
                await verification.QueueAsync(user, ct);
                await db.SaveChangesAsync(ct);
                return (result, user, session.Id);
            }, cancellationToken);

            await signIn.IssueCookieAsync(user, sessionId, result.ClientId);
            return result;
        }
    }
}
