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

/// <summary>Adds a contact to the active account. One contact per address per account.</summary>
public static class AddContact
{
    public sealed class Command : ContactForm, ICommand<int>, ITransactional;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddContactRules();
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;

            // One contact per address per account: two adds at once take turns on the account.
            await db.LockAsync<Client>(clientId, cancellationToken);
            var normalized = EmailAddress.Normalize(command.Email!);
            if (await db.Contacts.AnyAsync(c => c.ClientId == clientId && c.NormalizedEmail == normalized, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.Email), ContactRules.EmailTaken);
            }

            var contact = Contact.Add(clientId, command.ToDetails());
            db.Contacts.Add(contact);
            activity.Record($"Contact {contact.Name} ({contact.Email}) added", clientId);
            await db.SaveChangesAsync(cancellationToken);
            return contact.Id;
        }
    }
}
