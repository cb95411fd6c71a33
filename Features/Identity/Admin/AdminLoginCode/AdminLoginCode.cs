using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;

namespace Portal.Features.Identity;

/// <summary>
/// The second step of an admin login with two-factor authentication, as <see cref="LoginCode"/> is for client users:
/// only the browser holding the half-signed-in admin cookie gets here, within its few minutes; a wrong code counts
/// toward the admin lockout; the admin session starts only when a code (or an unused recovery code) passes.
/// </summary>
public static class AdminLoginCode
{
    public sealed class Command : ICommand<Result>
    {
        public string? Code { get; init; }
    }

    /// <summary><paramref name="RecoveryCodesLeft"/>: set when a recovery code signed the admin in, so the next page can warn.</summary>
    public sealed record Result(CodeStepOutcome Outcome, int? RecoveryCodesLeft = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Code).NotEmpty().WithMessage("Enter the code from your authenticator app, or a recovery code.")
                .MaximumLength(40).WithMessage(Authenticator.WrongCode);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, Authenticator authenticator, AdminSignIn signIn, KnownBrowsers knownBrowsers, Outbox outbox, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var pending = await signIn.PendingAsync();
            var admin = pending is null ? null : await db.Admins.SingleOrDefaultAsync(a => a.Id == pending.Value.AdminId, cancellationToken);
            if (pending is null || admin is null || AdminSignIn.PasswordStamp(admin) != pending.Value.Stamp || !admin.TwoFactorEnabled)
            {
                await signIn.EndPendingAsync();
                return new Result(CodeStepOutcome.Expired);
            }

            var now = time.GetUtcNow();
            if (admin.IsLockedOut(now))
            {
                activity.ForAdmin(admin.Id, null, $"Failed second factor for admin {admin.Email}: locked out");
                await db.SaveChangesAsync(cancellationToken);
                return new Result(CodeStepOutcome.LockedOut);
            }

            var proof = await ProveAsync(admin, command.Code!, cancellationToken);
            if (proof is null)
            {
                if (admin.RecordFailedLogin(now))
                {
                    activity.ForAdmin(admin.Id, null, $"Admin {admin.Email} locked out after {LockoutPolicy.MaxFailedAttempts} failed second factors");
                    outbox.Queue(admin.Email, new AdminLockoutMail(admin.FirstName, admin.Email, LockoutPolicy.Duration, LockoutPolicy.MaxFailedAttempts, outbox.Link("/admin/login")));
                    await db.SaveChangesAsync(cancellationToken);
                    return new Result(CodeStepOutcome.LockedOut);
                }

                activity.ForAdmin(admin.Id, null, $"Failed second factor for admin {admin.Email}: wrong code");
                await db.SaveChangesAsync(cancellationToken);
                return new Result(CodeStepOutcome.WrongCode);
            }

            admin.RecordLogin(now);
            var session = signIn.StartSession(admin);
            activity.ForAdmin(admin.Id, null, $"Admin {admin.Email} logged in with {proof}");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.EndPendingAsync();
            await signIn.IssueCookieAsync(admin, session.Id);
            knownBrowsers.Remember(KnownBrowsers.Admin(admin.Id));
            int? left = proof == RecoveryProof ? await db.RecoveryCodes.CountAsync(c => c.AdminId == admin.Id, cancellationToken) : null;
            return new Result(CodeStepOutcome.SignedIn, left);
        }

        private const string RecoveryProof = "a recovery code";

        private async Task<string?> ProveAsync(Administrator admin, string code, CancellationToken cancellationToken)
        {
            if (RecoveryCode.LooksLikeOne(code))
            {
                var hash = RecoveryCode.HashOf(code);
                return await db.RecoveryCodes.Where(c => c.AdminId == admin.Id && c.Hash == hash).ExecuteDeleteAsync(cancellationToken) == 1 ? RecoveryProof : null;
            }

            if (authenticator.Unprotect(admin.AuthenticatorKey) is not { } key || authenticator.Verify(key, code, admin.AuthenticatorLastStep) is not { } step)
            {
                return null;
            }

            var claimed = await db.Admins.Where(a => a.Id == admin.Id && (a.AuthenticatorLastStep == null || a.AuthenticatorLastStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.AuthenticatorLastStep, step), cancellationToken);
            if (claimed != 1)
            {
                return null;
            }

            admin.AuthenticatorLastStep = step;
            return "the authenticator app";
        }
    }
}
