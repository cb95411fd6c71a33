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

        var row = await (
                from s in db.Sessions
                where s.Id == sessionId && s.UserId == userId
                join u in db.Users on s.UserId equals u.Id
                from cu in db.ClientUsers.Where(cu => cu.UserId == userId && cu.ClientId == clientId).DefaultIfEmpty()
                select new
                {
                    Session = s,
                    u.FirstName,
                    u.Email,
                    u.EmailConfirmed,
                    u.SecurityStamp,
                    u.TimeZone,
                    MemberClientId = (int?)cu!.ClientId,
                    cu.StoredPermissions,
                    OwnerUserId = (int?)cu.Client.OwnerUserId,
                    Status = (ClientStatus?)cu.Client.Status,
                    ClientFirstName = cu.Client.FirstName,
                    ClientLastName = cu.Client.LastName,
                    cu.Client.CompanyName,
                })
            .AsNoTracking()
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);

        if (row is null || row.SecurityStamp != stamp || !row.Session.IsLive(now, SessionLifetimes.ClientIdleOf(row.Session)))
        {
            await RejectAsync(context);
            return;
        }

        ActiveAccount? account = null;
        if (row.MemberClientId is { } memberClientId && row.Status is not ClientStatus.Closed)
        {
            var isOwner = row.OwnerUserId == userId;
            account = new ActiveAccount(
                memberClientId, Client.DisplayNameOf(row.ClientFirstName, row.ClientLastName, row.CompanyName), isOwner,
                ClientUser.Effective(isOwner, row.StoredPermissions));
        }

        var accountContext = services.GetRequiredService<AccountContext>();
        accountContext.SignIn(userId, row.FirstName, row.Email ?? "", row.EmailConfirmed, sessionId, clientId, account);
        accountContext.UseTimeZone(row.TimeZone);
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

        var row = await (
                from s in db.Sessions
                where s.Id == sessionId && s.AdminId == adminId
                join a in db.Admins on s.AdminId equals a.Id
                select new { Session = s, a.FirstName, a.LastName })
            .AsNoTracking()
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);

        if (row is null || !row.Session.IsLive(now, SessionLifetimes.AdminIdle))
        {
            await RejectAsync(context);
            return;
        }

        services.GetRequiredService<AdminContext>().SignIn(adminId, $"{row.FirstName} {row.LastName}".Trim(), sessionId);
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
