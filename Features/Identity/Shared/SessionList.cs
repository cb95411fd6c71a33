using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Identity;

/// <summary>
/// A signed-in session as its owner (or an admin) sees it: which browser, from where, since when. Pages name it by
/// <see cref="Handle"/>, never by its id, which is the secret its cookie carries.
/// </summary>
public sealed record SessionRow(string Handle, string Browser, string? IpAddress, DateTimeOffset SignedInAt, DateTimeOffset LastSeenAt, bool IsCurrent);

/// <summary>The live sessions of a client login, newest first: the one read of them for the user's page and Manage User.</summary>
public static class SessionList
{
    public static async Task<IReadOnlyList<SessionRow>> LiveOfUserAsync(PortalDbContext db, int userId, DateTimeOffset now, string? currentSessionId, CancellationToken cancellationToken)
    {
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .ToListAsync(cancellationToken);
        return sessions
            .Where(s => s.IsLive(now, SessionLifetimes.ClientIdleOf(s)))
            .OrderByDescending(s => s.Id == currentSessionId).ThenByDescending(s => s.LastSeenAt).ThenByDescending(s => s.CreatedAt)
            .Select(s => new SessionRow(HandleOf(s.Id), BrowserNames.Describe(s.UserAgent), s.IpAddress, s.CreatedAt, s.LastSeenAt, s.Id == currentSessionId))
            .ToList();
    }

    /// <summary>The name of a session on a page: a hash of its id, so the page never shows the id itself.</summary>
    public static string HandleOf(string sessionId) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(sessionId)))[..32];

    /// <summary>The live session of the user named by a handle from a page, or null.</summary>
    public static async Task<Session?> FindLiveAsync(PortalDbContext db, int userId, string? handle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .ToListAsync(cancellationToken);
        return sessions.FirstOrDefault(s => HandleOf(s.Id) == handle && s.IsLive(now, SessionLifetimes.ClientIdleOf(s)));
    }
}
