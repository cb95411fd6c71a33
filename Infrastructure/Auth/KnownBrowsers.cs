using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Portal.Features.Identity;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Device cookies (OWASP's "known browser" defence against lockout abuse): after a successful sign-in the browser
/// gets a signed cookie naming the login. Lockout only stops browsers without it, so a stranger guessing a password
/// cannot keep its owner out; the owner still signs in from a browser they used before. A known-browser cookie that
/// itself fails <see cref="LockoutPolicy.MaxFailedAttempts"/> times is treated as unknown for the lockout period,
/// so a stolen one buys no unlimited guessing (counted per instance, in memory).
/// </summary>
public sealed class KnownBrowsers(IHttpContextAccessor http, IDataProtectionProvider protection, IMemoryCache failures, IConfiguration configuration)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.KnownBrowser");

    public static string User(int userId) => $"user:{userId}";

    public static string Admin(int adminId) => $"admin:{adminId}";

    /// <summary>Whether this request comes from a browser that signed in as <paramref name="login"/> before, and has not failed too often since.</summary>
    public bool IsKnown(string login) => Device(login) is { } device && failures.Get<int>(device) < LockoutPolicy.MaxFailedAttempts;

    /// <summary>A wrong password from a known browser counts against that browser.</summary>
    public void RecordFailure(string login)
    {
        if (Device(login) is { } device)
        {
            failures.Set(device, failures.Get<int>(device) + 1, LockoutPolicy.Duration);
        }
    }

    public void Remember(string login)
    {
        var payload = $"{login}|{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
        Context.Response.Cookies.Append(CookieName(login), _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            Secure = Names.Secure || Context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = IsAdmin(login) ? "/admin" : "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>The device id in this request's cookie, if the cookie is genuine and names <paramref name="login"/>.</summary>
    private string? Device(string login)
    {
        if (http.HttpContext?.Request.Cookies[CookieName(login)] is not { Length: > 0 } value)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            return parts is [var named, var device] && named == login ? "known-browser:" + device : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool IsAdmin(string login) => login.StartsWith("admin:", StringComparison.Ordinal);

    private string CookieName(string login) => IsAdmin(login)
        ? (Names.Secure ? "__Secure-portal-admin-device" : "portal-admin-device")
        : (Names.Secure ? "__Host-portal-device" : "portal-device");

    private CookieNames Names => CookieNames.For(configuration);

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
}
