using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Identity;

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
    /// which then becomes the login's address. A new address rotates the login's security stamp, so that a password
    /// reset link sent before stops working, and ends every other session of the login (the one that opened the link,
    /// when it is the login's own, goes on). False for an unknown, used, expired or outdated link, and for a new address
    /// another login took in the meantime.
    /// </summary>
    public sealed record Confirm(int UserId, string? Token) : ICommand<bool>;

    /// <summary>What the write unit decided: whether the link worked, and the new stamp the own session's cookie needs.</summary>
    private sealed record Confirmed(bool Done, string? RenewStamp = null);

    /// <summary>
    /// The link is checked and the address changed in one write unit; the own session's cookie is renewed after it
    /// commits, since writing a cookie is Data Protection work, which never runs under a write lock.
    /// </summary>
    internal sealed class ConfirmHandler(
        PortalDbContext db, WriteUnit writes, UserManager<User> users, ActivityWriter activity, AccountContext account, ClientSignIn signIn, TimeProvider time)
        : ICommandHandler<Confirm, bool>
    {
        public async ValueTask<bool> Handle(Confirm command, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(command.Token) || command.Token.Length > 100)
            {
                return false;
            }

            var confirmed = await writes.RunAsync(WriteUnitNames.Of(typeof(Confirm)), ct => ConfirmAsync(command.UserId, command.Token, ct), cancellationToken);
            if (confirmed.RenewStamp is { } stamp)
            {
                await signIn.RenewSecurityStampAsync(stamp);
            }

            return confirmed.Done;
        }

        private async Task<Confirmed> ConfirmAsync(int userId, string token, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<User>(userId, cancellationToken))
            {
                return new Confirmed(false);
            }

            var stored = await db.UserTokens
                .Where(t => t.UserId == userId && t.LoginProvider == EmailVerification.Provider
                    && (t.Name == EmailVerification.TokenName || t.Name == EmailChange.TokenName))
                .ToListAsync(cancellationToken);
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
            if (user is null)
            {
                return new Confirmed(false);
            }

            var now = time.GetUtcNow();
            if (stored.SingleOrDefault(t => t.Name == EmailChange.TokenName) is { } change && EmailChange.Matches(change.Value, token, now) is { } newEmail)
            {
                return await ChangeAddressAsync(user, newEmail, stored, cancellationToken);
            }

            var verification = stored.SingleOrDefault(t => t.Name == EmailVerification.TokenName);
            if (verification is null || !EmailVerification.Matches(verification.Value, token, user.Email, now))
            {
                return new Confirmed(false);
            }

            db.UserTokens.Remove(verification);
            user.EmailConfirmed = true;
            activity.ForUser(user.Id, null, $"User {user.Email} verified their email address");
            await db.SaveChangesAsync(cancellationToken);
            return new Confirmed(true);
        }

        private async Task<Confirmed> ChangeAddressAsync(User user, string newEmail, List<IdentityUserToken<int>> stored, CancellationToken cancellationToken)
        {
            if (await users.FindByEmailAsync(newEmail) is { } other && other.Id != user.Id)
            {
                return new Confirmed(false);
            }

            // The change link works once, and a verification link of the old address has no address left to verify.
            db.UserTokens.RemoveRange(stored);
            var oldEmail = user.Email;
            user.Email = newEmail;
            user.UserName = newEmail;
            user.EmailConfirmed = true;
            var ownSession = account.IsSignedIn && account.UserId == user.Id ? account.SessionId : null;
            activity.ForUser(user.Id, null, $"User {oldEmail} changed their email address to {newEmail}; their other sessions ended");
            try
            {
                // A new stamp makes every reset link and cookie issued for the old address worthless. The update keeps the
                // normalized columns in step and checks uniqueness again, inside the transaction.
                if (!(await users.UpdateSecurityStampAsync(user)).Succeeded)
                {
                    return new Confirmed(false);
                }
            }
            catch (DbUpdateException e) when (Contention.IsUniqueViolation(e))
            {
                // The unique e-mail index: the address was taken between the check above and this update.
                return new Confirmed(false);
            }

            await db.RevokeAllForUserAsync(user.Id, time.GetUtcNow(), exceptSessionId: ownSession);
            return new Confirmed(true, ownSession is not null ? user.SecurityStamp : null);
        }
    }
}
