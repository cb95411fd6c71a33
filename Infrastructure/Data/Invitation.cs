namespace Portal.Infrastructure.Data;

public enum InvitationStatus
{
    Pending,
    Accepted,
    Cancelled,
    Expired,
}

/// <summary>An e-mailed, single-use invitation to join a client account. Only the SHA-256 hash of its token is stored.</summary>
public sealed class Invitation
{
    public int Id { get; private set; }
    public int ClientId { get; private set; }
    public Client Client { get; private set; } = null!;
    public string Email { get; private set; } = "";
    public string TokenHash { get; private set; } = "";
    public string Permissions { get; private set; } = "";
    public int? InvitedByUserId { get; private set; }
    public int? InvitedByAdminId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public InvitationStatus Status { get; private set; }
    public int? AcceptedByUserId { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }

    private Invitation()
    {
    }

    public static Invitation Create(
        int clientId, string email, PermissionSet permissions, int? byUserId, int? byAdminId, string tokenHash, DateTimeOffset now, TimeSpan validity) =>
        new()
        {
            ClientId = clientId,
            Email = email,
            Permissions = permissions.Stored,
            InvitedByUserId = byUserId,
            InvitedByAdminId = byAdminId,
            TokenHash = tokenHash,
            CreatedAt = now,
            ExpiresAt = now + validity,
            Status = InvitationStatus.Pending,
        };

    public PermissionSet PermissionSet => PermissionSet.Parse(Permissions);

    public bool IsUsable(DateTimeOffset now) => Status == InvitationStatus.Pending && now < ExpiresAt;

    /// <summary>Pending and past its validity: the owner sees it as expired and may re-issue it.</summary>
    public bool HasLapsed(DateTimeOffset now) => Status == InvitationStatus.Expired || (Status == InvitationStatus.Pending && now >= ExpiresAt);

    public void Cancel() => Status = InvitationStatus.Cancelled;


    /// <summary>Issues a new link: the old hash is replaced, so the old link stops working.</summary>
    public void Reissue(string tokenHash, DateTimeOffset now, TimeSpan validity)
    {
        TokenHash = tokenHash;
        CreatedAt = now;
        ExpiresAt = now + validity;
        Status = InvitationStatus.Pending;
    }
}
