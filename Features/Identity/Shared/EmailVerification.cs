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
using Portal.Features.Settings;

namespace Portal.Features.Identity;

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
