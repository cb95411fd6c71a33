namespace Portal.Features.Activity;

/// <summary>
/// One event, attributed to its actor: a user (with the client they acted on), an admin (with the client, when they
/// acted on one), an anonymous visitor (only an IP), or System (nothing at all).
/// </summary>
public sealed class ActivityLogEntry
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Description { get; private set; } = "";
    public int? ClientId { get; private set; }
    public int? UserId { get; private set; }
    public int? AdminId { get; private set; }
    public string? IpAddress { get; private set; }

    private ActivityLogEntry()
    {
    }

    public ActivityLogEntry(DateTimeOffset at, string description, int? clientId, int? userId, int? adminId, string? ipAddress)
    {
        At = at;
        Description = description;
        ClientId = clientId;
        UserId = userId;
        AdminId = adminId;
        IpAddress = ipAddress;
    }

    public bool IsSystem => UserId is null && AdminId is null && IpAddress is null;
}
