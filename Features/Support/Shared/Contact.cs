using Portal.Features.Shared;
namespace Portal.Features.Support;

/// <summary>
/// A person of a client account who never logs in. Their address gives a ticket reply the Sub-account badge, and
/// they receive the kinds of e-mail they asked for.
/// </summary>
public sealed class Contact
{
    public int Id { get; private set; }
    public int ClientId { get; private set; }
    public string Name { get; private set; } = "";
    public string Email { get; private set; } = "";

    /// <summary>Upper-case address, so that a reply from "Ann@Example.com" matches the contact "ann@example.com".</summary>
    public string NormalizedEmail { get; private set; } = "";

    public string Phone { get; private set; } = "";
    public string Role { get; private set; } = "";
    public bool ReceivesInvoices { get; private set; }
    public bool ReceivesSupport { get; private set; }
    public bool ReceivesGeneral { get; private set; }

    private Contact()
    {
    }

    public static Contact Add(int clientId, ContactDetails details)
    {
        var contact = new Contact { ClientId = clientId };
        contact.Update(details);
        return contact;
    }

    public void Update(ContactDetails details)
    {
        Name = details.Name.Trim();
        Email = details.Email.Trim();
        NormalizedEmail = EmailAddress.Normalize(Email);
        Phone = details.Phone?.Trim() ?? "";
        Role = details.Role?.Trim() ?? "";
        ReceivesInvoices = details.Invoices;
        ReceivesSupport = details.Support;
        ReceivesGeneral = details.General;
    }
}

public sealed record ContactDetails(string Name, string Email, string? Phone, string? Role, bool Invoices, bool Support, bool General);
