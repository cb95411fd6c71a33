using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Identity;

/// <summary>
/// The password check of every client login (the login page, and log-in-and-accept on an invitation). Unknown
/// e-mail, wrong password and a locked-out user all answer null, take the same time, and are logged and saved.
/// Lockout applies to browsers that have not signed in as the user before (<see cref="KnownBrowsers"/>); the
/// locking failure e-mails the user once with a reset link, and a password reset lifts the lockout. The check is slow
/// (<see cref="PasswordHashing"/>): it saves its own bookkeeping and never runs inside a write unit.
/// </summary>
public sealed class Credentials(
    PortalDbContext db, UserManager<User> users, IPasswordHasher<User> hasher, PasswordHashing hashing, KnownBrowsers knownBrowsers, Outbox outbox, ActivityWriter activity)
{
    /// <summary>The one answer to a failed login, whatever failed.</summary>
    public const string Failure = "Login details incorrect. Please try again.";

    public async Task<User?> CheckAsync(string email, string password, CancellationToken cancellationToken)
    {
        email = email.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Spend the same time as a real check, so the answer's timing does not tell that the e-mail is unknown.
            await hashing.OnACoreAsync(() => Task.FromResult(hasher.VerifyHashedPassword(new User(), DummyHash.Value, password)), cancellationToken);
            activity.Record($"Failed login attempt for unknown email {email}");
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        // Lockout stops strangers, not the owner: a browser that signed in as this user before still gets a password check.
        var login = KnownBrowsers.User(user.Id);
        var knownBrowser = knownBrowsers.IsKnown(login);
        if (!knownBrowser && await users.IsLockedOutAsync(user))
        {
            await hashing.OnACoreAsync(() => Task.FromResult(hasher.VerifyHashedPassword(user, DummyHash.Value, password)), cancellationToken);
            activity.ForUser(user.Id, null, $"Failed login attempt for {user.Email}: user is locked out");
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        if (!await hashing.OnACoreAsync(() => users.CheckPasswordAsync(user, password), cancellationToken))
        {
            var wasLocked = await users.IsLockedOutAsync(user);
            if (knownBrowser)
            {
                knownBrowsers.RecordFailure(login);
            }
            else
            {
                await users.AccessFailedAsync(user);
            }

            var lockedNow = !wasLocked && await users.IsLockedOutAsync(user);
            if (lockedNow)
            {
                await QueueLockoutMailAsync(user);
            }

            activity.ForUser(user.Id, null, lockedNow
                ? $"Failed login attempt for {user.Email}: user locked out after {LockoutPolicy.MaxFailedAttempts} failures"
                : $"Failed login attempt for {user.Email}: wrong password");
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        knownBrowsers.Remember(login);
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }

    /// <summary>Once per lockout (on the failure that locks), the owner hears of it, with a reset link that lifts it.</summary>
    private async Task QueueLockoutMailAsync(User user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = outbox.Link(PasswordResetLink.PathFor(user.Id, token));
        outbox.Queue(
            user.Email!,
            new LockoutMail(user.FirstName, user.Email!, LockoutPolicy.Duration, LockoutPolicy.MaxFailedAttempts, link, outbox.PasswordLinkLifetime),
            userId: user.Id);
    }

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<User>(
            Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordHashIterations }))
            .HashPassword(new User(), "not a real password, only for timing");
    }
}
