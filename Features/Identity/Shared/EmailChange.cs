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
/// A change of login address waiting for its proof: the hash of a 60-minute link's token, its expiry and the new
/// address, in Identity's user-token table. The login keeps its old address until the link is used; asking again
/// replaces the pending change, so only the newest link works.
/// </summary>
public sealed class EmailChange(PortalDbContext db, Outbox outbox, AddressInUse addressInUse, TimeProvider time)
{
    public const string TokenName = "EmailChange";

    /// <summary>
    /// Adds the pending change and both e-mails (the link to the new address, the notice to the old one) to the unit of
    /// work. When the new address already belongs to <paramref name="holder"/>'s login, the change is recorded and the old
    /// address told all the same, so the user sees what they would see for a free address; but no link is sent (the
    /// pending change waits for a token nobody has, and the login never moves), and the holder is told instead.
    /// </summary>
    public async Task RequestAsync(User user, string newEmail, User? holder, CancellationToken cancellationToken)
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

        if (holder is null)
        {
            var link = outbox.Link($"/user/verify-email?user={user.Id}&token={token}");
            outbox.Queue(newEmail, new VerifyEmailMail(user.FirstName, newEmail, link, lifetime), userId: user.Id);
        }
        else
        {
            await addressInUse.TellAsync(holder, AddressInUseMail.Attempt.ChangeLoginAddress, cancellationToken);
        }

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
