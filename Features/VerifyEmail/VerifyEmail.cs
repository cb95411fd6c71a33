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

    /// <summary>Confirms the address the link was sent to. False for an unknown, used, expired or outdated link.</summary>
    public sealed record Confirm(int UserId, string? Token) : ICommand<bool>, ITransactional;

    internal sealed class ConfirmHandler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Confirm, bool>
    {
        public async ValueTask<bool> Handle(Confirm command, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(command.Token) || command.Token.Length > 100)
            {
                return false;
            }

            var stored = await db.UserTokens.SingleOrDefaultAsync(
                t => t.UserId == command.UserId && t.LoginProvider == EmailVerification.Provider && t.Name == EmailVerification.TokenName, cancellationToken);
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken);
            if (stored is null || user is null || !EmailVerification.Matches(stored.Value, command.Token, user.Email, time.GetUtcNow()))
            {
                return false;
            }

            db.UserTokens.Remove(stored);
            user.EmailConfirmed = true;
            activity.ForUser(user.Id, null, $"User {user.Email} verified their email address");
            await db.SaveChangesAsync(cancellationToken);
            return true;
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
