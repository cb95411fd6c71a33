using Portal.Features.Identity;
using Portal.Features.Clients;
namespace Portal.Features.Membership;

public enum InvitationStatus
{
    Pending,
    Accepted,
    Cancelled,
    Expired,
    Declined,
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

    /// <summary>Accepted and cancelled invitations are settled; pending and expired ones may get a new link.</summary>
    public bool CanBeReissued => Status is InvitationStatus.Pending or InvitationStatus.Expired;

    public bool IsFor(string? email) => string.Equals(email, Email, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Uses up the link for <paramref name="user"/> and returns their association with the invited permissions, entered
    /// as of now. The status is a concurrency token: of two accepts saved at once, the second save fails.
    /// </summary>
    public ClientUser Accept(User user, DateTimeOffset now)
    {
        if (!IsUsable(now))
        {
            throw new InvalidOperationException("Only a pending invitation within its validity can be accepted.");
        }

        Status = InvitationStatus.Accepted;
        AcceptedByUserId = user.Id;
        AcceptedAt = now;
        var association = ClientUser.Associate(Client, user, PermissionSet);
        association.RecordLogin(now);
        return association;
    }

    /// <summary>Marks a pending invitation past its validity as expired; false when there is nothing to expire.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Status != InvitationStatus.Pending || now < ExpiresAt)
        {
            return false;
        }

        Status = InvitationStatus.Expired;
        return true;
    }

    /// <summary>The invitee said no: the link stops working, like a cancelled one.</summary>
    public void Decline()
    {
        if (Status != InvitationStatus.Pending)
        {
            throw new InvalidOperationException("Only a pending invitation can be declined.");
        }

        Status = InvitationStatus.Declined;
    }

    public void Cancel()
    {
        if (Status != InvitationStatus.Pending)
        {
            throw new InvalidOperationException("Only a pending invitation can be cancelled.");
        }

        Status = InvitationStatus.Cancelled;
    }

    /// <summary>Issues a new link: the old hash is replaced, so the old link stops working.</summary>
    public void Reissue(string tokenHash, DateTimeOffset now, TimeSpan validity)
    {
        if (!CanBeReissued)
        {
            throw new InvalidOperationException("An accepted or cancelled invitation cannot be re-issued.");
        }

        TokenHash = tokenHash;
        CreatedAt = now;
        ExpiresAt = now + validity;
        Status = InvitationStatus.Pending;
    }
}
