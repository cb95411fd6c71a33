using Portal.Features.Shared;
namespace Portal.Features.Support;

/// <summary>
/// A person of a client account who never logs in. Once they confirm their address by the link mailed to it, their
/// address gives a ticket reply the Sub-account badge, routes their mailed tickets to the account, and they receive
/// the kinds of e-mail they were subscribed to. Until then the address is only what someone typed.
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
    /// <summary>
    /// The "General announcements" choice of the source system. Portal sends no announcements, so the forms no longer
    /// offer it and nothing reads it; the column stays so that migrated data keeps its shape.
    /// </summary>
    public bool ReceivesGeneral { get; private set; }

    /// <summary>When the contact confirmed the address by the mailed link; null while unconfirmed.</summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>The hash of the pending confirmation link's token.</summary>
    public string? ConfirmationTokenHash { get; private set; }

    public DateTimeOffset? ConfirmationSentAt { get; private set; }

    public static readonly TimeSpan ConfirmationValidity = TimeSpan.FromDays(7);

    public bool IsConfirmed => ConfirmedAt is not null;

    private Contact()
    {
    }

    public static Contact Add(int clientId, ContactDetails details)
    {
        var contact = new Contact { ClientId = clientId };
        contact.Update(details);
        return contact;
    }

    /// <summary>Changes the contact; a new address is unconfirmed until its own link is followed.</summary>
    public void Update(ContactDetails details)
    {
        Name = details.Name.Trim();
        Email = details.Email.Trim();
        var normalized = EmailAddress.Normalize(Email);
        if (normalized != NormalizedEmail)
        {
            ConfirmedAt = null;
            ConfirmationTokenHash = null;
            ConfirmationSentAt = null;
        }

        NormalizedEmail = normalized;
        Phone = details.Phone?.Trim() ?? "";
        Role = details.Role?.Trim() ?? "";
        ReceivesInvoices = details.Invoices;
        ReceivesSupport = details.Support;
    }

    /// <summary>A new confirmation link (the previous one stops working).</summary>
    public void IssueConfirmation(string tokenHash, DateTimeOffset now)
    {
        ConfirmationTokenHash = tokenHash;
        ConfirmationSentAt = now;
    }

    /// <summary>Whether a link sent at <see cref="ConfirmationSentAt"/> still works.</summary>
    public bool ConfirmationWorks(DateTimeOffset now) =>
        ConfirmedAt is null && ConfirmationTokenHash is not null && ConfirmationSentAt is { } sent && now < sent + ConfirmationValidity;

    public void Confirm(DateTimeOffset now)
    {
        ConfirmedAt = now;
        ConfirmationTokenHash = null;
    }
}

public sealed record ContactDetails(string Name, string Email, string? Phone, string? Role, bool Invoices, bool Support);
