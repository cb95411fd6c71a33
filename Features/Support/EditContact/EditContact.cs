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

namespace Portal.Features.Support;

/// <summary>Changes one of the active account's contacts; another account's contact is not found.</summary>
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
                    Invoices = c.ReceivesInvoices, Support = c.ReceivesSupport, General = c.ReceivesGeneral,
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

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            await db.LockAsync<Client>(clientId, cancellationToken);
            var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == command.ContactId && c.ClientId == clientId, cancellationToken)
                ?? throw Refuse.NotFound($"Contact {command.ContactId}");
            var normalized = EmailAddress.Normalize(command.Email!);
            if (await db.Contacts.AnyAsync(c => c.ClientId == clientId && c.NormalizedEmail == normalized && c.Id != contact.Id, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.Email), ContactRules.EmailTaken);
            }

            contact.Update(command.ToDetails());
            var changed = db.Entry(contact).Properties.Where(p => p.IsModified && p.Metadata.Name != nameof(Contact.NormalizedEmail)).Select(p => p.Metadata.Name).ToList();
            if (changed.Count > 0)
            {
                activity.Record($"Contact {contact.Name} ({contact.Email}) updated ({string.Join(", ", changed)})", clientId);
                await db.SaveChangesAsync(cancellationToken);
            }

            return Unit.Value;
        }
    }
}
