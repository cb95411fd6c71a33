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

    private Session()
    {
    }

    public static Session ForUser(string id, int userId, DateTimeOffset now, TimeSpan lifetime, string? ip) =>
        new() { Id = id, UserId = userId, CreatedAt = now, LastSeenAt = now, ExpiresAt = now + lifetime, IpAddress = ip };

    public static Session ForAdmin(string id, int adminId, DateTimeOffset now, TimeSpan lifetime, string? ip) =>
        new() { Id = id, AdminId = adminId, CreatedAt = now, LastSeenAt = now, ExpiresAt = now + lifetime, IpAddress = ip };

    public bool IsLive(DateTimeOffset now, TimeSpan idleTimeout) =>
        RevokedAt is null && now < ExpiresAt && now - LastSeenAt < idleTimeout;
}
