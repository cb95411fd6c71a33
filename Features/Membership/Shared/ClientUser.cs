using Portal.Features.Identity;
using Portal.Features.Clients;
namespace Portal.Features.Membership;

/// <summary>The association of a user with a client account: what the user may do there, and when they last entered it.</summary>
public sealed class ClientUser
{
    public int Id { get; private set; }
    public int ClientId { get; private set; }
    public Client Client { get; private set; } = null!;
    public int UserId { get; private set; }
    public User User { get; private set; } = null!;
    public DateTimeOffset? LastLoginAt { get; private set; }

    /// <summary>Bumped on every permission change; the concurrency token that stops two editors overwriting each other.</summary>
    public int Version { get; private set; }

    /// <summary>The stored keys; read <see cref="Permissions"/> instead, which accounts for ownership.</summary>
    public string StoredPermissions { get; private set; } = "";

    private ClientUser()
    {
    }

    internal ClientUser(Client client, User user, PermissionSet permissions)
    {
        Client = client;
        User = user;
        UserId = user.Id;
        StoredPermissions = permissions.Stored;
    }

    public static ClientUser Associate(Client client, User user, PermissionSet permissions)
    {
        if (permissions.IsEmpty)
        {
            throw new InvalidOperationException("At least one permission is required.");
        }

        return new ClientUser(client, user, permissions) { ClientId = client.Id, UserId = user.Id };
    }

    public bool IsOwner => Client.OwnerUserId == UserId;

    /// <summary>The owner always has every permission, whatever is stored.</summary>
    public PermissionSet Permissions => IsOwner ? PermissionSet.Every : PermissionSet.Parse(StoredPermissions);

    public static PermissionSet Effective(bool isOwner, string stored) => isOwner ? PermissionSet.Every : PermissionSet.Parse(stored);

    public const string OwnerPermissionsFixed = "The account owner always has every permission; their permissions cannot be changed.";

    public const string OwnerCannotBeRemoved = "The account owner cannot be removed. Make another user the owner first.";

    /// <summary>
    /// The owner's association is fixed: nobody, not the owner, edits its permissions or removes it; only an ownership
    /// transfer (<see cref="Client.TransferOwnership"/>) changes who the owner is. Null when this association may change.
    /// </summary>
    public string? CannotChangePermissions() => IsOwner ? OwnerPermissionsFixed : null;

    /// <inheritdoc cref="CannotChangePermissions"/>
    public string? CannotRemove() => IsOwner ? OwnerCannotBeRemoved : null;

    public const string OwnerCannotLeave = "You own this account, so you cannot leave it. Transfer ownership to another user first; then you can leave.";

    /// <summary>A user may give up their own access to an account, except its owner, who must hand the account on first.</summary>
    public string? CannotLeave() => IsOwner ? OwnerCannotLeave : null;

    public void ChangePermissions(PermissionSet permissions)
    {
        if (CannotChangePermissions() is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        if (permissions.IsEmpty)
        {
            throw new InvalidOperationException("At least one permission is required.");
        }

        StoredPermissions = permissions.Stored;
        Version++;
    }

    internal void GrantEverything()
    {
        StoredPermissions = PermissionSet.Every.Stored;
        Version++;
    }

    public void RecordLogin(DateTimeOffset now) => LastLoginAt = now;

    /// <summary>
    /// The account a login opens: the user's only open account, or else the open account they last worked in, so that
    /// someone with several accounts is not asked to choose every time. Null (Choose Account) when no open account has
    /// been used yet. Expects the memberships with their clients loaded.
    /// </summary>
    /// <summary>A user's memberships, the ones worked in last first (never used last), then oldest first.</summary>
    public static IOrderedQueryable<ClientUser> LastUsedFirst(IQueryable<ClientUser> memberships) =>
        memberships.OrderByDescending(cu => cu.LastLoginAt.HasValue).ThenByDescending(cu => cu.LastLoginAt).ThenBy(cu => cu.ClientId);

    public static ClientUser? AccountToOpenAtLogin(IEnumerable<ClientUser> memberships)
    {
        var open = memberships.Where(m => m.Client.Status != ClientStatus.Closed).ToList();
        return open is [var only]
            ? only
            : open.Where(m => m.LastLoginAt is not null).OrderByDescending(m => m.LastLoginAt).ThenBy(m => m.ClientId).FirstOrDefault();
    }
}
