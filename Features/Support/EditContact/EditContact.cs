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
/// Changes one of the active account's contacts; another account's contact is not found. A new address is unconfirmed
/// until the contact follows the link mailed to it. Without the tickets permission a user may not subscribe a contact
/// to support mail, nor move a subscribed contact to another address.
/// </summary>
public static class EditContact
{
    public sealed record Query(int ClientId, int ContactId) : IQuery<Command?>;

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Command?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Contacts.AsNoTracking().Where(c => c.Id == query.ContactId && c.ClientId == query.ClientId)
                .Select(c => new Command
                {
                    ContactId = c.Id, Name = c.Name, Email = c.Email, Phone = c.Phone, Role = c.Role,
                    Invoices = c.ReceivesInvoices, Support = c.ReceivesSupport,
                })
                .SingleOrDefaultAsync(cancellationToken);
    }

    public sealed class Command : ContactForm, ICommand, ITransactional
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int ContactId { get; set; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddContactRules();
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity, ContactConfirmation confirmation) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var active = account.RequireAccount();
            var clientId = active.ClientId;
            await db.LockAsync<Client>(clientId, cancellationToken);
            var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == command.ContactId && c.ClientId == clientId, cancellationToken)
                ?? throw Refuse.NotFound($"Contact {command.ContactId}");
            var normalized = EmailAddress.Normalize(command.Email!);
            if (await db.Contacts.AnyAsync(c => c.ClientId == clientId && c.NormalizedEmail == normalized && c.Id != contact.Id, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.Email), ContactRules.EmailTaken);
            }

            var moved = normalized != contact.NormalizedEmail;
            if (command.Support && (!contact.ReceivesSupport || moved) && !active.Has(Permission.Tickets))
            {
                throw Refuse.Because(ContactRules.SupportNeedsTickets);
            }

            contact.Update(command.ToDetails());
            if (moved)
            {
                await confirmation.QueueAsync(contact, cancellationToken);
            }

            var changed = db.Entry(contact).Properties.Where(p => p.IsModified && p.Metadata.Name is not (nameof(Contact.NormalizedEmail) or nameof(Contact.ConfirmedAt)
                or nameof(Contact.ConfirmationTokenHash) or nameof(Contact.ConfirmationSentAt))).Select(p => p.Metadata.Name).ToList();
            if (changed.Count > 0)
            {
                activity.Record($"Contact {contact.Name} ({contact.Email}) updated ({string.Join(", ", changed)})", clientId);
                await db.SaveChangesAsync(cancellationToken);
            }

            return Unit.Value;
        }
    }
}
