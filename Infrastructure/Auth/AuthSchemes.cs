using Portal.Features.Identity;
namespace Portal.Infrastructure.Auth;

public static class AuthSchemes
{
    public const string Client = "Portal.Client";
    public const string Admin = "Portal.Admin";
    public const string AdminPolicy = "Admin";

    /// <summary>
    /// Half signed in: the password was right and the second factor is still to come. This cookie is read by the code
    /// page alone (its path is the login's) and opens no other page; it lasts <see cref="SessionLifetimes.SecondFactorStep"/>.
    /// </summary>
    public const string ClientPending = "Portal.ClientPending";

    public const string AdminPending = "Portal.AdminPending";
}

public static class PortalClaims
{
    public const string UserId = "uid";
    public const string AdminId = "aid";
    public const string SessionId = "sid";
    public const string ClientId = "cid";
    public const string SecurityStamp = "stamp";
    public const string Remember = "remember";
    public const string NewBrowser = "newbrowser";
}

/// <summary>How long sessions live: idle timeouts and absolute lifetimes (SessionTests and SessionReplayTests pin each).</summary>
public static class SessionLifetimes
{
    public static readonly TimeSpan ClientIdle = TimeSpan.FromHours(2);
    public static readonly TimeSpan ClientAbsolute = TimeSpan.FromHours(12);
    public static readonly TimeSpan ClientRemembered = TimeSpan.FromDays(7);
    public static readonly TimeSpan AdminIdle = TimeSpan.FromMinutes(30);

    /// <summary>"Remember me" keeps a session for its whole seven days, used or not; an ordinary one ends after two idle hours.</summary>
    public static TimeSpan ClientIdleOf(Portal.Features.Identity.Session session) =>
        session.ExpiresAt - session.CreatedAt > ClientAbsolute ? ClientRemembered : ClientIdle;
    public static readonly TimeSpan AdminAbsolute = TimeSpan.FromHours(12);

    /// <summary>How long the code step waits after the password step.</summary>
    public static readonly TimeSpan SecondFactorStep = TimeSpan.FromMinutes(5);

    /// <summary>"Last seen" is written at most this often, never on every request.</summary>
    public static readonly TimeSpan LastSeenGranularity = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The admin area: every page in a folder named <c>Admin</c> of its capability (<c>Features/Billing/Admin/…</c>,
/// <c>Features/Identity/Admin/…</c>) needs the admin cookie, as if it carried <see cref="RequireAdminAttribute"/>.
/// </summary>
public static class AdminArea
{
    public const string Folder = "Admin";

    public static bool Holds(string viewEnginePath) => viewEnginePath.Split('/').Contains(Folder, StringComparer.Ordinal);
}
