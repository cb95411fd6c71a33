using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;

namespace Portal.Features.Support;

/// <summary>
/// The active account's contacts: people who never log in but receive the e-mails they asked for, once they confirmed
/// their address. A contact still waiting can be sent the confirmation link again.
/// </summary>
public static class ListContacts
{
    public sealed record Query(int ClientId) : IQuery<IReadOnlyList<Row>>;

    public sealed record Row(int Id, string Name, string Email, string Phone, string Role, bool Invoices, bool Support, bool Confirmed = true)
    {
        public string Receives => string.Join(", ", new[] { Invoices ? "Invoices" : null, Support ? "Support" : null }.OfType<string>()) is { Length: > 0 } s ? s : "Nothing";
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Contacts.AsNoTracking().Where(c => c.ClientId == query.ClientId).OrderBy(c => c.Name).ThenBy(c => c.Id)
                .Select(c => new Row(c.Id, c.Name, c.Email, c.Phone, c.Role, c.ReceivesInvoices, c.ReceivesSupport, c.ConfirmedAt != null))
                .ToListAsync(cancellationToken);
    }

    /// <summary>Mails the contact a new confirmation link (the previous one stops working); answers the address.</summary>
    public sealed record Resend(int ContactId) : ICommand<string>, ITransactional;

    public const string AlreadyConfirmed = "This contact has already confirmed the address.";

    internal sealed class ResendHandler(PortalDbContext db, AccountContext account, ActivityWriter activity, ContactConfirmation confirmation, TimeProvider time)
        : ICommandHandler<Resend, string>
    {
        public async ValueTask<string> Handle(Resend command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;

            // The hourly limit of links counts the account's mails: two resends at once take turns on the account.
            await db.LockAsync<Client>(clientId, cancellationToken);
            var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == command.ContactId && c.ClientId == clientId, cancellationToken)
                ?? throw Refuse.NotFound($"Contact {command.ContactId}");
            if (contact.IsConfirmed)
            {
                throw Refuse.Because(AlreadyConfirmed);
            }

            if (contact.ConfirmationSentAt is { } sent && time.GetUtcNow() < sent + ContactConfirmation.ResendAfter)
            {
                throw Refuse.Because($"A link was sent to {contact.Email} a few minutes ago. Wait ten minutes before sending another.");
            }

            await confirmation.QueueAsync(contact, cancellationToken);
            activity.Record($"Confirmation link sent again to contact {contact.Name} ({contact.Email})", clientId);
            await db.SaveChangesAsync(cancellationToken);
            return contact.Email;
        }
    }
}
