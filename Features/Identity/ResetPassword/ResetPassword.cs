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

    public sealed class Command : ICommand<Result>, ITransactional
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

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, Outbox outbox, ActivityWriter activity, ClientSignIn signIn, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var token = DecodeToken(command.Token);
            var user = command.UserId > 0 ? await users.FindByIdAsync(command.UserId.ToString()) : null;
            if (token is null || user is null)
            {
                throw Refuse.Because(InvalidLink);
            }

            var firstPassword = user.PasswordHash is null;
            var result = await users.ResetPasswordAsync(user, token, command.Password!);
            if (!result.Succeeded)
            {
                throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                    ? Refuse.Because(InvalidLink)
                    : Refuse.Because(nameof(Command.Password), result.Errors.First().Description);
            }

            var now = time.GetUtcNow();

            // Whoever can read the mailbox is the owner: a reset lifts a lockout (the lockout e-mail carries such a link).
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            await db.RevokeAllForUserAsync(user.Id, now);
            if (!firstPassword)
            {
                outbox.Queue(user.Email!, new PasswordChangedMail(user.FirstName, user.Email!, outbox.Link("/password/forgot")), userId: user.Id);
                activity.ForUser(user.Id, null, $"Password reset for {user.Email}; all sessions ended");
                await db.SaveChangesAsync(cancellationToken);
                return new Result(false, null);
            }

            // Whoever chose the first password from the welcome mail is signed in, in their account if they have one.
            var accounts = await db.ClientUsers.Where(cu => cu.UserId == user.Id).Select(cu => cu.ClientId).Take(2).ToListAsync(cancellationToken);
            var clientId = accounts.Count == 1 ? accounts[0] : (int?)null;
            var session = signIn.StartSession(user, remember: false);
            user.LastLoginAt = now;
            activity.ForUser(user.Id, clientId, $"First password set for {user.Email}; logged in");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.IssueCookieAsync(user, session.Id, clientId);
            return new Result(true, clientId);
        }
    }
}
