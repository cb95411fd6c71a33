using Portal.Features.Clients;
using Portal.Features.Identity;

namespace Portal.Features.Membership;

public enum OwnershipTransferStatus
{
    Pending,
    Accepted,
    Cancelled,
}

/// <summary>
/// An owner's offer to hand their account to another of its users, who accepts it by the e-mailed one-time link within
/// <see cref="Validity"/>. Only the SHA-256 hash of the link's token is stored; the link is used up once, by a
/// conditional update that only a pending, unexpired offer passes, and is dead after a cancel or its expiry.
/// </summary>
public sealed class OwnershipTransfer
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    public int Id { get; private set; }
    public int ClientId { get; private set; }
    public Client Client { get; private set; } = null!;
    public int FromUserId { get; private set; }
    public User FromUser { get; private set; } = null!;
    public int ToUserId { get; private set; }
    public User ToUser { get; private set; } = null!;
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public OwnershipTransferStatus Status { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    private OwnershipTransfer()
    {
    }

    public const string TargetMustBeMember = "Choose one of this account's users: ownership can only go to someone who already has access.";

    public const string TargetIsOwner = "You already own this account.";

    /// <summary>Why the owner of <paramref name="client"/> may not offer it to <paramref name="target"/>; null when they may.</summary>
    public static string? CannotOffer(Client client, ClientUser? target) =>
        target is null || target.ClientId != client.Id ? TargetMustBeMember
        : target.UserId == client.OwnerUserId ? TargetIsOwner
        : null;

    public static OwnershipTransfer Offer(Client client, ClientUser target, string tokenHash, DateTimeOffset now)
    {
        if (CannotOffer(client, target) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        return new OwnershipTransfer
        {
            ClientId = client.Id,
            FromUserId = client.OwnerUserId,
            ToUserId = target.UserId,
            TokenHash = tokenHash,
            CreatedAt = now,
            ExpiresAt = now + Validity,
            Status = OwnershipTransferStatus.Pending,
        };
    }

    /// <summary>Pending and within its validity: the link still works and the owner or an admin may cancel it.</summary>
    public bool IsPending(DateTimeOffset now) => Status == OwnershipTransferStatus.Pending && now < ExpiresAt;

    /// <summary>
    /// Whether the offer can still be taken up by <paramref name="userId"/>: it is pending, the one who made it still
    /// owns the account, and it was made to them. The link alone proves nothing: it is only ever the chosen user's.
    /// </summary>
    public bool MayBeAcceptedBy(int userId, int currentOwnerUserId, DateTimeOffset now) =>
        IsPending(now) && ToUserId == userId && FromUserId == currentOwnerUserId;

    public void Cancel(DateTimeOffset now)
    {
        if (!IsPending(now))
        {
            throw new InvalidOperationException("Only a pending ownership transfer can be cancelled.");
        }

        Status = OwnershipTransferStatus.Cancelled;
        DecidedAt = now;
    }
}
