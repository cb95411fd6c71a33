using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Settings;
using Portal.Features.Membership;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Checks a cookie against the database on every request: the session row (revoked, idle, expired), the user's
/// security stamp, the active account's membership, status and permissions, and the settings' version stamp, all in one
/// query, compiled once (<see cref="EF.CompileAsyncQuery{TContext,TParam1,TParam2,TParam3,TResult}(System.Linq.Expressions.Expression{Func{TContext,TParam1,TParam2,TParam3,CancellationToken,TResult}})"/>)
/// so that a request pays for the round trip and not for translating LINQ.
/// </summary>
internal static class SessionValidation
{
    private sealed class ClientRow
    {
        public required Session Session { get; init; }
        public required string FirstName { get; init; }
        public string? Email { get; init; }
        public bool EmailConfirmed { get; init; }
        public string? SecurityStamp { get; init; }
        public string? TimeZone { get; init; }
        public int? MemberClientId { get; init; }
        public string? StoredPermissions { get; init; }
        public int? OwnerUserId { get; init; }
        public ClientStatus? Status { get; init; }
        public string? ClientFirstName { get; init; }
        public string? ClientLastName { get; init; }
        public string? CompanyName { get; init; }
        public string? SettingsStamp { get; init; }
        public int Accounts { get; init; }
    }

    private sealed class AdminRow
    {
        public required Session Session { get; init; }
        public required string FirstName { get; init; }
        public required string LastName { get; init; }
        public bool TwoFactorEnabled { get; init; }
        public string? SettingsStamp { get; init; }
    }

    /// <summary>Ids start at 1: a session with no account chosen asks for this one, which matches no membership.</summary>
    private const int NoClient = 0;

    // The client id is never null here: with a null parameter EF writes the membership join as a constant-false
    // subquery, which SQLite then joins to every client (10 ms a request at 50,000 clients).
    private static readonly Func<PortalDbContext, string, int, int, CancellationToken, Task<ClientRow?>> ClientQuery =
        EF.CompileAsyncQuery((PortalDbContext db, string sessionId, int userId, int clientId, CancellationToken _) => (
                from s in db.Sessions.AsNoTracking()
                where s.Id == sessionId && s.UserId == userId
                join u in db.Users on s.UserId equals u.Id
                from cu in db.ClientUsers.Where(cu => cu.UserId == userId && cu.ClientId == clientId).DefaultIfEmpty()
                select new ClientRow
                {
                    Session = s,
                    FirstName = u.FirstName,
                    Email = u.Email,
                    EmailConfirmed = u.EmailConfirmed,
                    SecurityStamp = u.SecurityStamp,
                    TimeZone = u.TimeZone,
                    MemberClientId = (int?)cu!.ClientId,
                    StoredPermissions = cu.StoredPermissions,
                    OwnerUserId = (int?)cu.Client.OwnerUserId,
                    Status = (ClientStatus?)cu.Client.Status,
                    ClientFirstName = cu.Client.FirstName,
                    ClientLastName = cu.Client.LastName,
                    CompanyName = cu.Client.CompanyName,
                    SettingsStamp = db.Settings.Where(x => x.Key == SystemSettings.VersionKey).Select(x => x.Value).FirstOrDefault(),
                    // For the account switcher in the bar: a user of one account has nothing to switch to, and no list to read.
                    Accounts = db.ClientUsers.Count(x => x.UserId == userId),
                })
            .FirstOrDefault());

    private static readonly Func<PortalDbContext, string, int, CancellationToken, Task<AdminRow?>> AdminQuery =
        EF.CompileAsyncQuery((PortalDbContext db, string sessionId, int adminId, CancellationToken _) => (
                from s in db.Sessions.AsNoTracking()
                where s.Id == sessionId && s.AdminId == adminId
                join a in db.Admins on s.AdminId equals a.Id
                select new AdminRow
                {
                    Session = s,
                    FirstName = a.FirstName,
                    LastName = a.LastName,
                    TwoFactorEnabled = a.TwoFactorEnabled,
                    SettingsStamp = db.Settings.Where(x => x.Key == SystemSettings.VersionKey).Select(x => x.Value).FirstOrDefault(),
                })
            .FirstOrDefault());

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

        var row = await ClientQuery(db, sessionId, userId, clientId ?? NoClient, context.HttpContext.RequestAborted);
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
                memberClientId, Client.DisplayNameOf(row.ClientFirstName ?? "", row.ClientLastName ?? "", row.CompanyName), isOwner,
                ClientUser.Effective(isOwner, row.StoredPermissions ?? ""));
        }

        services.GetRequiredService<SystemSettings>().StampRead(row.SettingsStamp);
        var accountContext = services.GetRequiredService<AccountContext>();
        accountContext.SignIn(userId, row.FirstName, row.Email ?? "", row.EmailConfirmed, sessionId, clientId, account);
        accountContext.UseTimeZone(row.TimeZone);
        accountContext.UseAccountCount(row.Accounts);
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

        var row = await AdminQuery(db, sessionId, adminId, context.HttpContext.RequestAborted);
        if (row is null || !row.Session.IsLive(now, SessionLifetimes.AdminIdle))
        {
            await RejectAsync(context);
            return;
        }

        services.GetRequiredService<SystemSettings>().StampRead(row.SettingsStamp);
        services.GetRequiredService<AdminContext>().SignIn(adminId, $"{row.FirstName} {row.LastName}".Trim(), sessionId, row.TwoFactorEnabled);
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
