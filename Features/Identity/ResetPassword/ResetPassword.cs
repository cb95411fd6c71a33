using System.Text;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Identity;

/// <summary>
/// Sets a new password from an e-mailed link. The link carries an Identity reset token, which is bound to the user's
/// security stamp: a successful reset changes the stamp, so every earlier link and every session stop working. It also
/// lifts a lockout and clears the failed-login count.
/// </summary>
public static class ResetPassword
{
    public const string InvalidLink = "This password reset link is invalid or has expired. Request a new one.";

    public static string? DecodeToken(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > 2000)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public sealed record CheckLink(int UserId, string? Token) : IQuery<bool>;

    /// <summary>
    /// Whether this was the login's first password (an owner an admin created): then the user is signed in, and no
    /// "password changed" notice is sent.
    /// </summary>
    public sealed record Result(bool FirstPassword, int? ClientId);

    public sealed class Command : ICommand<Result>
    {
        public int UserId { get; init; }
        public string? Token { get; init; }
        public string? Password { get; init; }
        public string? ConfirmPassword { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.")
                .MaximumLength(FieldLengths.PasswordMax).WithMessage($"Use at most {FieldLengths.PasswordMax} characters.");
            RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage("The passwords do not match.");
        }
    }

    internal sealed class CheckLinkHandler(UserManager<User> users) : IQueryHandler<CheckLink, bool>
    {
        public async ValueTask<bool> Handle(CheckLink query, CancellationToken cancellationToken)
        {
            var token = DecodeToken(query.Token);
            if (token is null || query.UserId <= 0 || await users.FindByIdAsync(query.UserId.ToString()) is not { } user)
            {
                return false;
            }

            return await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<User>.ResetPasswordTokenPurpose, token);
        }
    }

    /// <summary>
    /// The link's token is checked (Data Protection) and the new password hashed before the write unit opens; the unit
    /// writes only if the user's security stamp is still the one the token was bound to (a reset a moment ago makes the
    /// link worthless, as it would have a moment later).
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, UserManager<User> users, PasswordHashing passwords, Outbox outbox, ActivityWriter activity,
        ClientSignIn signIn, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var token = DecodeToken(command.Token);
            var user = command.UserId > 0 ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken) : null;
            if (token is null || user is null
                || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<User>.ResetPasswordTokenPurpose, token))
            {
                throw Refuse.Because(InvalidLink);
            }

            if (await passwords.ProblemWithAsync(user, command.Password!) is { } problem)
            {
                throw Refuse.Because(nameof(Command.Password), problem);
            }

            var passwordHash = await passwords.HashAsync(command.Password!, cancellationToken);
            var (firstPassword, clientId, session, signedIn) = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var current = await db.Users.SingleOrDefaultAsync(u => u.Id == user.Id, ct);
                if (current is null || current.SecurityStamp != user.SecurityStamp)
                {
                    throw Refuse.Because(InvalidLink);
                }

                var now = time.GetUtcNow();
                var firstPassword = current.PasswordHash is null;
                current.PasswordHash = passwordHash;

                // Whoever can read the mailbox is the owner: a reset lifts a lockout (the lockout e-mail carries such a link).
                current.LockoutEnd = null;
                current.AccessFailedCount = 0;
                var updated = await users.UpdateSecurityStampAsync(current);
                if (!updated.Succeeded)
                {
                    throw Refuse.Because(nameof(Command.Password), updated.Errors.First().Description);
                }

                await db.RevokeAllForUserAsync(current.Id, now);
                if (!firstPassword)
                {
                    outbox.Queue(current.Email!, new PasswordChangedMail(current.FirstName, current.Email!, outbox.Link("/password/forgot")), userId: current.Id);
                    activity.ForUser(current.Id, null, $"Password reset for {current.Email}; all sessions ended");
                    await db.SaveChangesAsync(ct);
                    return (false, (int?)null, (Session?)null, current);
                }

                // Whoever chose the first password from the welcome mail is signed in, in their account if they have one.
                var accounts = await db.ClientUsers.Where(cu => cu.UserId == current.Id).Select(cu => cu.ClientId).Take(2).ToListAsync(ct);
                var clientId = accounts.Count == 1 ? accounts[0] : (int?)null;
                var session = signIn.StartSession(current, remember: false);
                current.LastLoginAt = now;
                activity.ForUser(current.Id, clientId, $"First password set for {current.Email}; logged in");
                await db.SaveChangesAsync(ct);
                return (true, clientId, session, current);
            }, cancellationToken);

            if (firstPassword)
            {
                await signIn.IssueCookieAsync(signedIn, session!.Id, clientId);
            }

            return new Result(firstPassword, clientId);
        }
    }
}
