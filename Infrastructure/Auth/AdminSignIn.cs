using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Identity;

namespace Portal.Infrastructure.Auth;

/// <summary>Starts and ends admin sessions, under the admin cookie scheme only.</summary>
public sealed class AdminSignIn(IHttpContextAccessor http, PortalDbContext db, TimeProvider time)
{
    public Session StartSession(Administrator admin)
    {
        var session = Session.ForAdmin(
            ClientSignIn.NewSessionId(), admin.Id, time.GetUtcNow(), SessionLifetimes.AdminAbsolute, http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            http.HttpContext?.Request.Headers.UserAgent.ToString());
        db.Sessions.Add(session);
        return session;
    }

    public async Task IssueCookieAsync(Administrator admin, string sessionId)
    {
        var claims = new List<Claim>
        {
            new(PortalClaims.AdminId, admin.Id.ToString()),
            new(PortalClaims.SessionId, sessionId),
            new(ClaimTypes.Name, admin.Email),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.Admin, ClaimTypes.Name, null));
        await Context.SignInAsync(AuthSchemes.Admin, principal);
    }

    /// <summary>The admin's password step passed and the code is due: a short-lived cookie read by the admin code page alone.</summary>
    public async Task StartPendingAsync(Administrator admin, bool newBrowser)
    {
        var claims = new List<Claim>
        {
            new(PortalClaims.AdminId, admin.Id.ToString()),
            new(PortalClaims.SecurityStamp, PasswordStamp(admin)),
            new(PortalClaims.NewBrowser, newBrowser ? "1" : "0"),
        };
        await Context.SignInAsync(AuthSchemes.AdminPending, new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.AdminPending)), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = time.GetUtcNow() + SessionLifetimes.SecondFactorStep,
            AllowRefresh = false,
        });
    }

    /// <summary>The admin's half-finished sign-in in this browser, if genuine, unexpired and made with the admin's current password.</summary>
    public async Task<(int AdminId, string Stamp, bool NewBrowser)?> PendingAsync()
    {
        var result = await Context.AuthenticateAsync(AuthSchemes.AdminPending);
        var principal = result.Principal;
        if (!result.Succeeded || principal is null || !int.TryParse(principal.FindFirst(PortalClaims.AdminId)?.Value, out var adminId)
            || result.Properties?.ExpiresUtc is not { } expires || expires <= time.GetUtcNow())
        {
            return null;
        }

        return (adminId, principal.FindFirst(PortalClaims.SecurityStamp)?.Value ?? "", principal.FindFirst(PortalClaims.NewBrowser)?.Value == "1");
    }

    public Task EndPendingAsync() => Context.SignOutAsync(AuthSchemes.AdminPending);

    /// <summary>Admins have no security stamp: a digest of the password hash stands in, so a new password voids a half-finished sign-in.</summary>
    public static string PasswordStamp(Administrator admin) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(admin.PasswordHash)))[..32];

    public async Task SignOutAsync(string sessionId)
    {
        await db.RevokeSessionAsync(sessionId, time.GetUtcNow());
        await Context.SignOutAsync(AuthSchemes.Admin);
    }

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
}
