using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.VerifyEmail;

/// <summary>
/// E-mail verification, separate from invitations: a link sent on registration and on an e-mail change, valid for 60
/// minutes and for that address only. Access is never blocked while unverified; a banner offers a new link. The admin
/// can switch the whole feature off in Settings.
/// </summary>
public static class VerifyEmail
{

    /// <summary>Sends a new link to the user's current address, unless verification is off or the address is verified.</summary>
    public sealed record SendLink(int UserId) : ICommand<bool>;

    internal sealed class SendLinkHandler(PortalDbContext db, EmailVerification verification) : ICommandHandler<SendLink, bool>
    {
        public async ValueTask<bool> Handle(SendLink command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleAsync(u => u.Id == command.UserId, cancellationToken);
            var queued = await verification.QueueAsync(user, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return queued;
        }
    }

    /// <summary>
    /// Confirms the address the link was sent to: the login's current address, or the new one of a pending change,
    /// which then becomes the login's address. False for an unknown, used, expired or outdated link, and for a new
    /// address another login took in the meantime.
    /// </summary>
    public sealed record Confirm(int UserId, string? Token) : ICommand<bool>, ITransactional;

    internal sealed class ConfirmHandler(PortalDbContext db, UserManager<User> users, ActivityWriter activity, TimeProvider time) : ICommandHandler<Confirm, bool>
    {
        public async ValueTask<bool> Handle(Confirm command, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(command.Token) || command.Token.Length > 100)
            {
                return false;
            }

            var stored = await db.UserTokens
                .Where(t => t.UserId == command.UserId && t.LoginProvider == EmailVerification.Provider
                    && (t.Name == EmailVerification.TokenName || t.Name == EmailChange.TokenName))
                .ToListAsync(cancellationToken);
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken);
            if (user is null)
            {
                return false;
            }

            var now = time.GetUtcNow();
            if (stored.SingleOrDefault(t => t.Name == EmailChange.TokenName) is { } change && EmailChange.Matches(change.Value, command.Token, now) is { } newEmail)
            {
                return await ChangeAddressAsync(user, newEmail, stored, cancellationToken);
            }

            var verification = stored.SingleOrDefault(t => t.Name == EmailVerification.TokenName);
            if (verification is null || !EmailVerification.Matches(verification.Value, command.Token, user.Email, now))
            {
                return false;
            }

            db.UserTokens.Remove(verification);
            user.EmailConfirmed = true;
            activity.ForUser(user.Id, null, $"User {user.Email} verified their email address");
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        private async Task<bool> ChangeAddressAsync(User user, string newEmail, List<IdentityUserToken<int>> stored, CancellationToken cancellationToken)
        {
            if (await users.FindByEmailAsync(newEmail) is { } other && other.Id != user.Id)
            {
                return false;
            }

            // The change link works once, and a verification link of the old address has no address left to verify.
            db.UserTokens.RemoveRange(stored);
            var oldEmail = user.Email;
            user.Email = newEmail;
            user.UserName = newEmail;
            user.EmailConfirmed = true;
            activity.ForUser(user.Id, null, $"User {oldEmail} changed their email address to {newEmail}");
            try
            {
                // UpdateAsync keeps the normalized columns in step and checks uniqueness again, inside the transaction.
                return (await users.UpdateAsync(user)).Succeeded;
            }
            catch (DbUpdateException)
            {
                // The unique e-mail index: the address was taken between the check above and this update.
                return false;
            }
        }
    }
}

/// <summary>
/// Issues verification links. The token is stored only as a hash, in Identity's user-token table, together with its
/// expiry and the address it verifies, so that a later change of address makes the link worthless.
/// </summary>
public sealed class EmailVerification(PortalDbContext db, Outbox outbox, SystemSettings settings, TimeProvider time)
{
    public const string Provider = "Portal";
    public const string TokenName = "EmailVerification";

    /// <summary>Adds the token and the e-mail to the unit of work; the caller saves. False when nothing needs sending.</summary>
    public async Task<bool> QueueAsync(User user, CancellationToken cancellationToken)
    {
        if (user.EmailConfirmed || string.IsNullOrEmpty(user.Email) || !(await settings.GetAsync(cancellationToken)).EmailVerificationEnabled)
        {
            return false;
        }

        var token = Tokens.New();
        var lifetime = outbox.EmailVerificationLinkLifetime;
        var expires = time.GetUtcNow() + lifetime;
        var value = $"{Tokens.Hash(token)}|{expires.UtcTicks}|{user.Email.ToUpperInvariant()}";
        var existing = user.Id == 0
            ? null
            : await db.UserTokens.SingleOrDefaultAsync(t => t.UserId == user.Id && t.LoginProvider == Provider && t.Name == TokenName, cancellationToken);
        if (existing is null)
        {
            db.UserTokens.Add(new IdentityUserToken<int> { UserId = user.Id, LoginProvider = Provider, Name = TokenName, Value = value });
        }
        else
        {
            existing.Value = value;
        }

        var link = outbox.Link($"/user/verify-email?user={user.Id}&token={token}");
        outbox.Queue(user.Email, new VerifyEmailMail(user.FirstName, user.Email, link, lifetime), userId: user.Id);
        return true;
    }

    public static bool Matches(string? stored, string token, string? email, DateTimeOffset now)
    {
        var parts = (stored ?? "").Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[1], out var ticks) || now.UtcTicks >= ticks || parts[2] != (email ?? "").ToUpperInvariant())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[0]), Encoding.ASCII.GetBytes(Tokens.Hash(token)));
    }
}

/// <summary>
/// A change of login address waiting for its proof: the hash of a 60-minute link's token, its expiry and the new
/// address, in Identity's user-token table. The login keeps its old address until the link is used; asking again
/// replaces the pending change, so only the newest link works.
/// </summary>
public sealed class EmailChange(PortalDbContext db, Outbox outbox, TimeProvider time)
{
    public const string TokenName = "EmailChange";

    /// <summary>Adds the pending change and both e-mails (the link to the new address, the notice to the old one) to the unit of work.</summary>
    public async Task RequestAsync(User user, string newEmail, CancellationToken cancellationToken)
    {
        var token = Tokens.New();
        var lifetime = outbox.EmailVerificationLinkLifetime;
        var value = $"{Tokens.Hash(token)}|{(time.GetUtcNow() + lifetime).UtcTicks}|{newEmail}";
        var existing = await FindAsync(user.Id, cancellationToken);
        if (existing is null)
        {
            db.UserTokens.Add(new IdentityUserToken<int> { UserId = user.Id, LoginProvider = EmailVerification.Provider, Name = TokenName, Value = value });
        }
        else
        {
            existing.Value = value;
        }

        var link = outbox.Link($"/user/verify-email?user={user.Id}&token={token}");
        outbox.Queue(newEmail, new VerifyEmailMail(user.FirstName, newEmail, link, lifetime), userId: user.Id);
        outbox.Queue(user.Email!, new EmailChangeRequestedMail(user.FirstName, user.Email!, newEmail, outbox.Link("/user/password")), userId: user.Id);
    }

    /// <summary>The address a pending change waits to verify, while its link still works.</summary>
    public async Task<string?> PendingAsync(int userId, CancellationToken cancellationToken)
    {
        var stored = await db.UserTokens.AsNoTracking().SingleOrDefaultAsync(
            t => t.UserId == userId && t.LoginProvider == EmailVerification.Provider && t.Name == TokenName, cancellationToken);
        return Parse(stored?.Value) is { } pending && time.GetUtcNow().UtcTicks < pending.ExpiresTicks ? pending.Email : null;
    }

    public Task<IdentityUserToken<int>?> FindAsync(int userId, CancellationToken cancellationToken) =>
        db.UserTokens.SingleOrDefaultAsync(t => t.UserId == userId && t.LoginProvider == EmailVerification.Provider && t.Name == TokenName, cancellationToken);

    /// <summary>The new address when <paramref name="token"/> is the pending change's, unexpired; otherwise null.</summary>
    public static string? Matches(string? stored, string token, DateTimeOffset now)
    {
        if (Parse(stored) is not { } pending || now.UtcTicks >= pending.ExpiresTicks)
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(pending.Hash), Encoding.ASCII.GetBytes(Tokens.Hash(token))) ? pending.Email : null;
    }

    private static (string Hash, long ExpiresTicks, string Email)? Parse(string? stored)
    {
        var parts = (stored ?? "").Split('|', 3);
        return parts.Length == 3 && long.TryParse(parts[1], out var ticks) && parts[2].Length > 0 ? (parts[0], ticks, parts[2]) : null;
    }
}
