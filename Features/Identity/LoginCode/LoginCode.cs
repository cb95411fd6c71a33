using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Membership;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;

namespace Portal.Features.Identity;

/// <summary>
/// The second step of a login with two-factor authentication: a code from the authenticator app (this 30-second step,
/// the one before or after, each good once) or an unused recovery code (then spent). Only the browser holding the
/// half-signed-in cookie of the password step gets here, within its few minutes, and only while the login's security
/// stamp is unchanged. A wrong code counts toward the login's lockout like a wrong password; the page is rate limited
/// like the login. The session starts only when the code passes.
/// </summary>
public static class LoginCode
{
    public sealed class Command : ICommand<Result>
    {
        public string? Code { get; init; }

        /// <summary>"Remember this browser for 30 days": the next logins of this login from here need the password only.</summary>
        public bool RememberBrowser { get; init; }
    }

    public sealed record Result(CodeStepOutcome Outcome, int? ActiveClientId = null, int? RecoveryCodesLeft = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Code).NotEmpty().WithMessage("Enter the code from your authenticator app, or a recovery code.")
                .MaximumLength(40).WithMessage(Authenticator.WrongCode);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, UserManager<User> users, Authenticator authenticator, ClientSignIn signIn, ActivityWriter activity, SecurityNotices notices, Outbox outbox, RememberedBrowsers remembered, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var pending = await signIn.PendingAsync();
            var user = pending is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == pending.Id, cancellationToken);
            if (pending is null || user is null || user.SecurityStamp != pending.Stamp || !user.TwoFactorEnabled)
            {
                await signIn.EndPendingAsync();
                return new Result(CodeStepOutcome.Expired);
            }

            if (await users.IsLockedOutAsync(user))
            {
                activity.ForUser(user.Id, null, $"Failed second factor for {user.Email}: user is locked out");
                await db.SaveChangesAsync(cancellationToken);
                return new Result(CodeStepOutcome.LockedOut);
            }

            var proof = await ProveAsync(user, command.Code!, cancellationToken);
            if (proof is null)
            {
                await users.AccessFailedAsync(user);
                var locked = await users.IsLockedOutAsync(user);
                if (locked)
                {
                    // Once per lockout: the code before this one found the login open.
                    var token = await users.GeneratePasswordResetTokenAsync(user);
                    outbox.Queue(user.Email!, new CodeLockoutMail(user.FirstName, user.Email!, LockoutPolicy.Duration, LockoutPolicy.MaxFailedAttempts,
                        outbox.Link(PasswordResetLink.PathFor(user.Id, token)), outbox.PasswordLinkLifetime), userId: user.Id);
                }

                activity.ForUser(user.Id, null, locked
                    ? $"Failed second factor for {user.Email}: user locked out after {LockoutPolicy.MaxFailedAttempts} failures"
                    : $"Failed second factor for {user.Email}: wrong code");
                await db.SaveChangesAsync(cancellationToken);
                return new Result(locked ? CodeStepOutcome.LockedOut : CodeStepOutcome.WrongCode);
            }

            await users.ResetAccessFailedCountAsync(user);
            var now = time.GetUtcNow();
            user.LastLoginAt = now;
            var memberships = await db.ClientUsers.Include(cu => cu.Client).Where(cu => cu.UserId == user.Id).ToListAsync(cancellationToken);
            var opened = ClientUser.AccountToOpenAtLogin(memberships);
            opened?.RecordLogin(now);

            var session = signIn.StartSession(user, pending.Remember);
            activity.ForUser(user.Id, opened?.ClientId, (opened is null
                ? $"Logged in as {user.Email}"
                : $"Logged in as {user.Email} to {opened.Client.DisplayName} (#{opened.ClientId})") + $" with {proof}"
                + (command.RememberBrowser ? "; this browser is remembered for 30 days" : ""));
            if (pending.NewBrowser)
            {
                notices.NewBrowser(user);
            }

            await db.SaveChangesAsync(cancellationToken);
            await signIn.EndPendingAsync();
            await signIn.IssueCookieAsync(user, session.Id, opened?.ClientId, pending.Remember);
            if (command.RememberBrowser)
            {
                await remembered.RememberAsync(user);
            }

            int? left = proof == RecoveryProof ? await db.RecoveryCodes.CountAsync(c => c.UserId == user.Id, cancellationToken) : null;
            return new Result(CodeStepOutcome.SignedIn, opened?.ClientId, left);
        }

        private const string RecoveryProof = "a recovery code";

        /// <summary>How the code proved the login ("the authenticator app", "a recovery code"), or null. Either is spent here, atomically.</summary>
        private async Task<string?> ProveAsync(User user, string code, CancellationToken cancellationToken)
        {
            if (RecoveryCode.LooksLikeOne(code))
            {
                var hash = RecoveryCode.HashOf(code);
                return await db.RecoveryCodes.Where(c => c.UserId == user.Id && c.Hash == hash).ExecuteDeleteAsync(cancellationToken) == 1 ? RecoveryProof : null;
            }

            if (await UserAuthenticatorKey.ReadAsync(users, authenticator, user) is not { } key
                || authenticator.Verify(key, code, user.AuthenticatorLastStep) is not { } step)
            {
                return null;
            }

            // Two requests with the same code at once: only the one that moves the last step on gets in.
            var claimed = await db.Users.Where(u => u.Id == user.Id && (u.AuthenticatorLastStep == null || u.AuthenticatorLastStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AuthenticatorLastStep, step), cancellationToken);
            if (claimed != 1)
            {
                return null;
            }

            user.AuthenticatorLastStep = step;
            return "the authenticator app";
        }
    }
}
