using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Identity;

/// <summary>
/// "Remember this browser for 30 days" on the code step: a signed, encrypted, HttpOnly cookie naming the login, the
/// login's security stamp and its authenticator key as they were, and when it ends. While all three still hold, that
/// login's password alone signs in from this browser; a password change (new stamp), turning two-factor authentication
/// off or setting it up again (another key) kills it, and so does the 30th day. Another login on the same browser is
/// asked for its code as before.
/// </summary>
public sealed class RememberedBrowsers(IHttpContextAccessor http, IDataProtectionProvider protection, UserManager<User> users, IConfiguration configuration, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.RememberedBrowser");

    public async Task RememberAsync(User user)
    {
        var ends = time.GetUtcNow() + Lifetime;
        var payload = $"{user.Id}|{await FingerprintAsync(user)}|{ends.ToUnixTimeSeconds()}";
        Context.Response.Cookies.Append(CookieName, _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            Secure = CookieNames.For(configuration).Secure || Context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>Whether this browser was remembered by <paramref name="user"/> at the code step, and nothing about the login's sign-in changed since.</summary>
    public async Task<bool> IsRememberedAsync(User user)
    {
        if (Context.Request.Cookies[CookieName] is not { Length: > 0 } value)
        {
            return false;
        }

        string[] parts;
        try
        {
            parts = _protector.Unprotect(value).Split('|');
        }
        catch (CryptographicException)
        {
            return false;
        }

        if (parts is not [var id, var fingerprint, var ends] || id != user.Id.ToString()
            || !long.TryParse(ends, out var seconds) || DateTimeOffset.FromUnixTimeSeconds(seconds) <= time.GetUtcNow())
        {
            return false;
        }

        var current = await FingerprintAsync(user);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(fingerprint), Encoding.ASCII.GetBytes(current));
    }

    /// <summary>The security stamp and the stored (protected) authenticator key, hashed: either changing ends the remembering.</summary>
    private async Task<string> FingerprintAsync(User user) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.SecurityStamp}|{await users.GetAuthenticatorKeyAsync(user)}")));

    /// <summary>Secure and <c>__Host-</c>-prefixed whenever the site is served over HTTPS, as every cookie of the site is.</summary>
    private string CookieName => CookieNames.For(configuration).Secure ? "__Host-portal-2fa-browser" : "portal-2fa-browser";

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
}
