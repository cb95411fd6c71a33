using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Support;

/// <summary>Deletes one of the active account's contacts once confirmed. Their past ticket replies then read as Guest.</summary>
public static class DeleteContact
{
    public sealed class Command : ICommand<string>, IConfirmed
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int ContactId { get; set; }

        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm the deletion.");
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == command.ContactId && c.ClientId == clientId, cancellationToken)
                ?? throw Refuse.NotFound($"Contact {command.ContactId}");
            db.Contacts.Remove(contact);
            activity.Record($"Contact {contact.Name} ({contact.Email}) deleted", clientId);
            await db.SaveChangesAsync(cancellationToken);
            return contact.Name;
        }
    }
}
