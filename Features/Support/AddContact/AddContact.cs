using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;
using Portal.Features.Clients;
using Portal.Features.Membership;

namespace Portal.Features.Support;

/// <summary>
/// Adds a contact to the active account (one contact per address per account) and mails the contact the link that
/// confirms the address; until then it routes nothing and receives nothing. Subscribing it to support mail needs the
/// tickets permission, so that <c>contacts</c> alone never reads the account's support answers.
/// </summary>
public static class AddContact
{
    public sealed class Command : ContactForm, ICommand<int>, ITransactional;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddContactRules();
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity, ContactConfirmation confirmation) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var active = account.RequireAccount();
            var clientId = active.ClientId;
            if (command.Support && !active.Has(Permission.Tickets))
            {
                throw Refuse.Because(ContactRules.SupportNeedsTickets);
            }

            // One contact per address per account: two adds at once take turns on the account.
            await db.LockAsync<Client>(clientId, cancellationToken);

            var normalized = EmailAddress.Normalize(command.Email!);
            if (await db.Contacts.AnyAsync(c => c.ClientId == clientId && c.NormalizedEmail == normalized, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.Email), ContactRules.EmailTaken);
            }

            var contact = Contact.Add(clientId, command.ToDetails());
            db.Contacts.Add(contact);
            await confirmation.QueueAsync(contact, cancellationToken);
            activity.Record($"Contact {contact.Name} ({contact.Email}) added", clientId);
            activity.Record($"Confirmation link sent to contact {contact.Name} ({contact.Email})", clientId);
            await db.SaveChangesAsync(cancellationToken);
            return contact.Id;
        }
    }
}
