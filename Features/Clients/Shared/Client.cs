using Portal.Features.Identity;
using Portal.Features.Membership;
namespace Portal.Features.Clients;

public enum ClientStatus
{
    Active,
    Inactive,
    Closed,
}

/// <summary>A client account: the billable party. It has exactly one owner, who is always associated with every permission.</summary>
public sealed class Client
{
    public int Id { get; private set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? CompanyName { get; set; }
    public string Email { get; set; } = "";
    public string Address1 { get; set; } = "";
    public string City { get; set; } = "";
    public string State { get; set; } = "";
    public string Postcode { get; set; } = "";
    public string Country { get; set; } = "";
    public string Phone { get; set; } = "";
    public ClientStatus Status { get; private set; } = ClientStatus.Active;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>When the owner asked for the account to be closed, while the provider has not decided; null otherwise.</summary>
    public DateTimeOffset? ClosureRequestedAt { get; private set; }

    public string? ClosureReason { get; private set; }

    public int OwnerUserId { get; private set; }
    public User Owner { get; private set; } = null!;

    public List<ClientUser> Users { get; } = [];

    public string DisplayName => DisplayNameOf(FirstName, LastName, CompanyName);

    public static string DisplayNameOf(string firstName, string lastName, string? companyName)
    {
        var person = $"{firstName} {lastName}".Trim();
        return string.IsNullOrWhiteSpace(companyName) ? person : $"{companyName} ({person})";
    }

    private Client()
    {
    }

    /// <summary>Creates an account owned by <paramref name="owner"/>, associating the owner with every permission.</summary>
    public static Client Open(ClientProfile profile, User owner, DateTimeOffset now)
    {
        var client = new Client { CreatedAt = now, Owner = owner, OwnerUserId = owner.Id };
        client.Update(profile);
        client.Users.Add(new ClientUser(client, owner, PermissionSet.Every));
        return client;
    }

    public void Update(ClientProfile profile)
    {
        FirstName = profile.FirstName;
        LastName = profile.LastName;
        CompanyName = string.IsNullOrWhiteSpace(profile.CompanyName) ? null : profile.CompanyName;
        Email = profile.Email;
        Address1 = profile.Address1;
        City = profile.City;
        State = profile.State;
        Postcode = profile.Postcode;
        Country = profile.Country;
        Phone = profile.Phone;
    }

    public const int ClosureReasonMax = 500;

    /// <summary>Asked for closure and not closed yet: waiting for the provider's decision.</summary>
    public bool AwaitsClosure => ClosureRequestedAt is not null && Status != ClientStatus.Closed;

    /// <summary>Why the owner may not ask for closure now; null when they may.</summary>
    public string? CannotRequestClosure() =>
        Status == ClientStatus.Closed ? "This account is already closed."
        : AwaitsClosure ? "You have already asked for this account to be closed; the provider will decide on it."
        : null;

    /// <summary>The owner asks for the account to be closed, with a reason; it stays as it is until the provider decides.</summary>
    public void RequestClosure(string reason, DateTimeOffset now)
    {
        if (CannotRequestClosure() is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        ClosureRequestedAt = now;
        ClosureReason = reason;
    }

    /// <summary>Closes the account (at its owner's request, approved or allowed by the provider); the request is settled.</summary>
    public void Close(DateTimeOffset now)
    {
        ChangeStatus(ClientStatus.Closed, now);
        ClosureRequestedAt = null;
        ClosureReason = null;
    }

    /// <summary>The provider turns the owner's request down: the account stays as it is, and the owner may ask again.</summary>
    public void RejectClosure()
    {
        if (!AwaitsClosure)
        {
            throw new InvalidOperationException("No closure request is waiting.");
        }

        ClosureRequestedAt = null;
        ClosureReason = null;
    }

    public void ChangeStatus(ClientStatus status, DateTimeOffset now)
    {
        if (status == Status)
        {
            return;
        }

        Status = status;
        ClosedAt = status == ClientStatus.Closed ? now : null;
    }

    /// <summary>Why <paramref name="newOwner"/> cannot become the owner, or null when they can. Needs <see cref="Users"/> loaded.</summary>
    public string? CannotTransferTo(ClientUser newOwner) =>
        newOwner.ClientId != Id || !Users.Contains(newOwner) ? "The new owner must be associated with this account."
        : newOwner.IsOwner ? "This user already owns the account."
        : null;

    /// <summary>
    /// Makes an already associated user the owner and returns the previous owner's association. The previous owner stays
    /// associated and keeps every permission, now stored since ownership no longer implies it; the new owner gets every
    /// permission. Needs <see cref="Users"/> loaded.
    /// </summary>
    public ClientUser TransferOwnership(ClientUser newOwner)
    {
        if (CannotTransferTo(newOwner) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        var previous = Users.Single(cu => cu.IsOwner);
        newOwner.GrantEverything();
        OwnerUserId = newOwner.UserId;
        previous.GrantEverything();
        return previous;
    }
}

public sealed record ClientProfile(
    string FirstName,
    string LastName,
    string? CompanyName,
    string Email,
    string Address1,
    string City,
    string State,
    string Postcode,
    string Country,
    string Phone);
