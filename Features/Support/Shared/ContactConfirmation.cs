using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Support;

/// <summary>
/// Sends a contact the link that confirms their address (seven days, single use, stored only as a hash). Until it is
/// followed the address routes no mail, gives no badge and receives no support mail: an address an owner typed
/// proves nothing about who reads it.
/// </summary>
public sealed class ContactConfirmation(PortalDbContext db, Outbox outbox, TimeProvider time)
{
    public const string PathPrefix = "/contacts/confirm";

    /// <summary>How soon the owner may ask for the same contact's link again.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(10);

    /// <summary>Confirmation links one account may have mailed in an hour: the portal is no way to mail strangers in bulk.</summary>
    public const int PerAccountPerHour = 30;

    public const string TooMany = "This account has sent as many contact confirmation links as it may in an hour. Try again later.";

    /// <summary>Adds the link's hash to the contact and the mail to the unit of work; the caller saves. Refused past the hourly limit.</summary>
    public async Task QueueAsync(Contact contact, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var kind = Outbox.KindOf(typeof(ContactConfirmationMail));
        if (await db.EmailMessages.CountAsync(m => m.ClientId == contact.ClientId && m.Kind == kind && m.CreatedAt >= hourAgo, cancellationToken) >= PerAccountPerHour)
        {
            throw Portal.Infrastructure.Pipeline.Refuse.Because(TooMany);
        }

        var token = Tokens.New();
        contact.IssueConfirmation(Tokens.Hash(token), now);
        var account = await db.Clients.AsNoTracking().Where(c => c.Id == contact.ClientId)
            .Select(c => new { c.FirstName, c.LastName, c.CompanyName }).SingleAsync(cancellationToken);
        outbox.Queue(contact.Email, new ContactConfirmationMail(contact.Name, contact.Email, Client.DisplayNameOf(account.FirstName, account.LastName, account.CompanyName),
            outbox.Link($"{PathPrefix}?token={token}"), now + Contact.ConfirmationValidity), contact.ClientId);
    }
}

/// <summary>The link a new contact follows to confirm that the address is theirs.</summary>
public sealed record ContactConfirmationMail(string Name, string Email, string Account, string Link, DateTimeOffset Until) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"Please confirm that you are a contact of {Account}",
        $"Hello {Name},",
        [$"{Account} added {Email} as one of its contacts at {brand.CompanyName}. Once you confirm it, your e-mails to our support are recognised as coming from {Account}, and you receive the e-mails {Account} chose for you."],
        new MailAction("Confirm my address", Link),
        [$"The link works until {brand.Dates.DateTime(Until)}. If you do not know {Account}, ignore this e-mail: nothing is sent to you and your address is not used."],
        $"You received this e-mail because {Account} gave {Email} as a contact's address at {brand.CompanyName}.");
}
