namespace Portal.Features.Identity;

/// <summary>
/// One sign-in of a client user or an admin. Its id travels in the cookie; revoking the row ends the session on the
/// server, so a replayed cookie is refused.
/// </summary>
public sealed class Session
{
    public string Id { get; private set; } = "";
    public int? UserId { get; private set; }
    public int? AdminId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? IpAddress { get; private set; }

    /// <summary>The browser's User-Agent header as it signed in, cut to <see cref="UserAgentMax"/>; shown as browser and OS.</summary>
    public string? UserAgent { get; private set; }

    /// <summary>When the person behind this session last proved who they are (password or second factor).</summary>
    public DateTimeOffset ProvenAt { get; private set; }

    public const int UserAgentMax = 400;

    private Session()
    {
    }

    public static Session ForUser(string id, int userId, DateTimeOffset now, TimeSpan lifetime, string? ip, string? userAgent = null) =>
        new() { Id = id, UserId = userId, CreatedAt = now, LastSeenAt = now, ProvenAt = now, ExpiresAt = now + lifetime, IpAddress = ip, UserAgent = Cut(userAgent) };

    public static Session ForAdmin(string id, int adminId, DateTimeOffset now, TimeSpan lifetime, string? ip, string? userAgent = null) =>
        new() { Id = id, AdminId = adminId, CreatedAt = now, LastSeenAt = now, ProvenAt = now, ExpiresAt = now + lifetime, IpAddress = ip, UserAgent = Cut(userAgent) };

    /// <summary>Whether the last proof is recent enough for a sensitive action.</summary>
    public bool ProvenWithin(TimeSpan window, DateTimeOffset now) => now - ProvenAt < window;

    private static string? Cut(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) ? null
        : new string(userAgent.Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format).Take(UserAgentMax).ToArray());

    public bool IsLive(DateTimeOffset now, TimeSpan idleTimeout) =>
        RevokedAt is null && now < ExpiresAt && now - LastSeenAt < idleTimeout;
}
