using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Identity;

namespace Portal.Infrastructure.Auth;

/// <summary>Starts, re-targets and ends client-user sessions: a session row per sign-in, its id in the cookie.</summary>
public sealed class ClientSignIn(IHttpContextAccessor http, PortalDbContext db, TimeProvider time)
{
    /// <summary>Adds the session row to the unit of work; the cookie is issued by <see cref="IssueCookieAsync"/> after the save.</summary>
    public Session StartSession(User user, bool remember)
    {
        var lifetime = remember ? SessionLifetimes.ClientRemembered : SessionLifetimes.ClientAbsolute;
        var session = Session.ForUser(NewSessionId(), user.Id, time.GetUtcNow(), lifetime, http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            http.HttpContext?.Request.Headers.UserAgent.ToString());
        db.Sessions.Add(session);
        return session;
    }

    public async Task IssueCookieAsync(User user, string sessionId, int? clientId, bool remember = false)
    {
        var claims = new List<Claim>
        {
            new(PortalClaims.UserId, user.Id.ToString()),
            new(PortalClaims.SessionId, sessionId),
            new(PortalClaims.SecurityStamp, user.SecurityStamp ?? ""),
            new(ClaimTypes.Name, user.Email ?? ""),
        };
        if (clientId is { } id)
        {
            claims.Add(new Claim(PortalClaims.ClientId, id.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.Client, ClaimTypes.Name, null));
        // A remembered cookie lasts as long as its session, however long it sits unused; an ordinary one slides with use.
        var properties = remember
            ? new AuthenticationProperties { IsPersistent = true, ExpiresUtc = time.GetUtcNow() + SessionLifetimes.ClientRemembered, AllowRefresh = false }
            : new AuthenticationProperties();
        await Context.SignInAsync(AuthSchemes.Client, principal, properties);

        // Later steps of this same request (accepting an invitation right after logging in) act as the new user.
        Context.User = principal;
    }

    /// <summary>Re-issues the current session's cookie with another active account; no new login.</summary>
    public Task SwitchAccountAsync(int clientId) => ReissueAsync(PortalClaims.ClientId, clientId.ToString());

    /// <summary>Re-issues the current session's cookie with no active account: the next page asks the user to choose one.</summary>
    public async Task ClearAccountAsync()
    {
        var current = await Context.AuthenticateAsync(AuthSchemes.Client);
        var identity = new ClaimsIdentity(Context.User.Claims.Where(c => c.Type != PortalClaims.ClientId), AuthSchemes.Client, ClaimTypes.Name, null);
        await Context.SignInAsync(AuthSchemes.Client, new ClaimsPrincipal(identity), current.Properties ?? new AuthenticationProperties());
    }

    /// <summary>Re-issues the current session's cookie with the user's new security stamp, so a password change keeps this session alone.</summary>
    public Task RenewSecurityStampAsync(string stamp) => ReissueAsync(PortalClaims.SecurityStamp, stamp);

    private async Task ReissueAsync(string claimType, string value)
    {
        var principal = Context.User;
        var claims = principal.Claims.Where(c => c.Type != claimType).Append(new Claim(claimType, value));
        var identity = new ClaimsIdentity(claims, AuthSchemes.Client, ClaimTypes.Name, null);
        var current = await Context.AuthenticateAsync(AuthSchemes.Client);
        await Context.SignInAsync(AuthSchemes.Client, new ClaimsPrincipal(identity), current.Properties ?? new AuthenticationProperties());
    }

    public async Task SignOutAsync(string sessionId)
    {
        await db.RevokeSessionAsync(sessionId, time.GetUtcNow());
        await Context.SignOutAsync(AuthSchemes.Client);
    }

    /// <summary>
    /// The password step passed and a second factor is due: a short-lived cookie that only the code page reads. No
    /// session starts, so no other page opens; the code page checks the security stamp again.
    /// </summary>
    public async Task StartPendingAsync(User user, bool remember, bool newBrowser)
    {
        var claims = new List<Claim>
        {
            new(PortalClaims.UserId, user.Id.ToString()),
            new(PortalClaims.SecurityStamp, user.SecurityStamp ?? ""),
            new(PortalClaims.Remember, remember ? "1" : "0"),
            new(PortalClaims.NewBrowser, newBrowser ? "1" : "0"),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.ClientPending));
        await Context.SignInAsync(AuthSchemes.ClientPending, principal, new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = time.GetUtcNow() + SessionLifetimes.SecondFactorStep,
            AllowRefresh = false,
        });
    }

    /// <summary>The half-finished sign-in of this browser, if its cookie is genuine and not expired.</summary>
    public async Task<PendingSignIn?> PendingAsync()
    {
        var result = await Context.AuthenticateAsync(AuthSchemes.ClientPending);
        var principal = result.Principal;
        if (!result.Succeeded || principal is null || !int.TryParse(principal.FindFirst(PortalClaims.UserId)?.Value, out var userId)
            || result.Properties?.ExpiresUtc is not { } expires || expires <= time.GetUtcNow())
        {
            return null;
        }

        return new PendingSignIn(userId, principal.FindFirst(PortalClaims.SecurityStamp)?.Value ?? "", principal.FindFirst(PortalClaims.Remember)?.Value == "1",
            principal.FindFirst(PortalClaims.NewBrowser)?.Value == "1");
    }

    public Task EndPendingAsync() => Context.SignOutAsync(AuthSchemes.ClientPending);

    public static string NewSessionId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
}

/// <summary>A sign-in whose password step passed, waiting for its second factor.</summary>
public sealed record PendingSignIn(int Id, string Stamp, bool Remember, bool NewBrowser);

public static class SessionRevocation
{
    /// <summary>Ends one session on the server: its cookie, replayed, is refused.</summary>
    public static Task<int> RevokeSessionAsync(this PortalDbContext db, string sessionId, DateTimeOffset now) =>
        db.Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now));

    /// <summary>Ends every session of a user on the server, e.g. after a password reset or deletion.</summary>
    public static Task<int> RevokeAllForUserAsync(this PortalDbContext db, int userId, DateTimeOffset now, string? exceptSessionId = null) =>
        db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != exceptSessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now));
}
