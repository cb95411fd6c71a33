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
            ClientSignIn.NewSessionId(), admin.Id, time.GetUtcNow(), SessionLifetimes.AdminAbsolute, http.HttpContext?.Connection.RemoteIpAddress?.ToString());
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

    public async Task SignOutAsync(string sessionId)
    {
        await db.RevokeSessionAsync(sessionId, time.GetUtcNow());
        await Context.SignOutAsync(AuthSchemes.Admin);
    }

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
}
