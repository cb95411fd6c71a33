using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Checks a cookie against the database on every request: the session row (revoked, idle, expired), the user's
/// security stamp, and the active account's membership, status and permissions, all in one query.
/// </summary>
internal static class SessionValidation
{
    public static async Task ValidateClientAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<PortalDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var principal = context.Principal!;

        if (!int.TryParse(principal.FindFirst(PortalClaims.UserId)?.Value, out var userId)
            || principal.FindFirst(PortalClaims.SessionId)?.Value is not { } sessionId)
        {
            await RejectAsync(context);
            return;
        }

        int? clientId = int.TryParse(principal.FindFirst(PortalClaims.ClientId)?.Value, out var cid) ? cid : null;
        var stamp = principal.FindFirst(PortalClaims.SecurityStamp)?.Value;

        var row = await db.Sessions
            .Where(s => s.Id == sessionId && s.UserId == userId)
            .Select(s => new
            {
                Session = s,
                User = db.Users.Where(u => u.Id == userId).Select(u => new { u.FirstName, u.Email, u.SecurityStamp }).FirstOrDefault(),
                Membership = db.ClientUsers
                    .Where(cu => cu.UserId == userId && cu.ClientId == clientId)
                    .Select(cu => new
                    {
                        cu.StoredPermissions,
                        cu.Client.OwnerUserId,
                        cu.Client.Status,
                        cu.Client.FirstName,
                        cu.Client.LastName,
                        cu.Client.CompanyName,
                    })
                    .FirstOrDefault(),
            })
            .AsNoTracking()
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);

        if (row is null || row.User is null || row.User.SecurityStamp != stamp || !row.Session.IsLive(now, SessionLifetimes.ClientIdle))
        {
            await RejectAsync(context);
            return;
        }

        ActiveAccount? account = null;
        if (row.Membership is { } m && m.Status != ClientStatus.Closed)
        {
            var isOwner = m.OwnerUserId == userId;
            account = new ActiveAccount(
                clientId!.Value, Client.DisplayNameOf(m.FirstName, m.LastName, m.CompanyName), isOwner, ClientUser.Effective(isOwner, m.StoredPermissions));
        }

        services.GetRequiredService<AccountContext>().SignIn(userId, row.User.FirstName, row.User.Email ?? "", sessionId, clientId, account);
        await TouchAsync(db, sessionId, row.Session.LastSeenAt, now);
    }

    public static async Task ValidateAdminAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<PortalDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var principal = context.Principal!;

        if (!int.TryParse(principal.FindFirst(PortalClaims.AdminId)?.Value, out var adminId)
            || principal.FindFirst(PortalClaims.SessionId)?.Value is not { } sessionId)
        {
            await RejectAsync(context);
            return;
        }

        var row = await db.Sessions
            .Where(s => s.Id == sessionId && s.AdminId == adminId)
            .Select(s => new { Session = s, Admin = db.Admins.Where(a => a.Id == adminId).Select(a => new { a.FirstName, a.LastName }).FirstOrDefault() })
            .AsNoTracking()
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);

        if (row is null || row.Admin is null || !row.Session.IsLive(now, SessionLifetimes.AdminIdle))
        {
            await RejectAsync(context);
            return;
        }

        services.GetRequiredService<AdminContext>().SignIn(adminId, $"{row.Admin.FirstName} {row.Admin.LastName}".Trim(), sessionId);
        await TouchAsync(db, sessionId, row.Session.LastSeenAt, now);
    }

    private static async Task TouchAsync(PortalDbContext db, string sessionId, DateTimeOffset lastSeen, DateTimeOffset now)
    {
        if (now - lastSeen >= SessionLifetimes.LastSeenGranularity)
        {
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }
}
