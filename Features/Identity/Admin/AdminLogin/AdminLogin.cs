using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Setup;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Identity;

/// <summary>
/// Signs an admin in under the admin cookie, with the same lockout as client users and one answer for every failure:
/// the lockout stops only browsers the admin has not signed in with before, and is e-mailed to the admin.
/// </summary>
public static class AdminLogin
{
    public enum Outcome
    {
        Failed,
        SignedIn,
        NeedsSecondFactor,
    }

    public sealed class Command : ICommand<Outcome>
    {
        public string? Email { get; init; }
        public string? Password { get; init; }
    }

    public const string Failure = "Login details incorrect. Please try again.";

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Email).LoginEmail(Failure);
            RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.").MaximumLength(FieldLengths.PasswordMax).WithMessage(Failure);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, IPasswordHasher<Administrator> hasher, AdminSignIn signIn, KnownBrowsers knownBrowsers, Outbox outbox, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var admin = await db.Admins.SingleOrDefaultAsync(a => a.NormalizedEmail == EmailAddress.Normalize(command.Email), cancellationToken);
            var candidate = admin ?? new Administrator { PasswordHash = DummyHash(hasher) };
            var verified = hasher.VerifyHashedPassword(candidate, candidate.PasswordHash, command.Password!) != PasswordVerificationResult.Failed;

            if (admin is null)
            {
                activity.Record($"Failed admin login attempt for unknown email {command.Email!.Trim()}");
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Failed;
            }

            // Lockout stops strangers, not the admin: a browser that signed in as this admin before still gets a password check.
            var login = KnownBrowsers.Admin(admin.Id);
            var knownBrowser = knownBrowsers.IsKnown(login);
            if (!knownBrowser && admin.IsLockedOut(now))
            {
                activity.ForAdmin(admin.Id, null, $"Failed admin login for {admin.Email}: locked out");
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Failed;
            }

            if (!verified)
            {
                if (knownBrowser)
                {
                    knownBrowsers.RecordFailure(login);
                    activity.ForAdmin(admin.Id, null, $"Failed admin login for {admin.Email}: wrong password");
                    await db.SaveChangesAsync(cancellationToken);
                    return Outcome.Failed;
                }

                if (admin.RecordFailedLogin(now))
                {
                    activity.ForAdmin(admin.Id, null, $"Admin {admin.Email} locked out after {LockoutPolicy.MaxFailedAttempts} failed logins");
                    outbox.Queue(admin.Email, new AdminLockoutMail(admin.FirstName, admin.Email, LockoutPolicy.Duration, LockoutPolicy.MaxFailedAttempts, outbox.Link("/admin/login")));
                }
                else
                {
                    activity.ForAdmin(admin.Id, null, $"Failed admin login for {admin.Email}: wrong password");
                }

                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Failed;
            }

            if (admin.TwoFactorEnabled)
            {
                activity.ForAdmin(admin.Id, null, $"Password accepted for admin {admin.Email}; waiting for the second factor");
                await db.SaveChangesAsync(cancellationToken);
                await signIn.StartPendingAsync(admin, newBrowser: !knownBrowser);
                return Outcome.NeedsSecondFactor;
            }

            admin.RecordLogin(now);
            var session = signIn.StartSession(admin);
            activity.ForAdmin(admin.Id, null, $"Admin {admin.Email} logged in");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.IssueCookieAsync(admin, session.Id);
            knownBrowsers.Remember(login);
            return Outcome.SignedIn;
        }

        private static string? _dummyHash;

        private static string DummyHash(IPasswordHasher<Administrator> hasher) =>
            _dummyHash ??= hasher.HashPassword(new Administrator(), "not a real password, only for timing");
    }
}
