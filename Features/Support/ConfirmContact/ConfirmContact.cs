using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Support;

/// <summary>
/// A contact follows the link mailed to their address and confirms, with one click (nothing changes on GET), that
/// the address is theirs: from then on it routes their mailed tickets, gives their replies the Sub-account badge and
/// receives the e-mails the account chose. An unknown, used or expired link changes nothing.
/// </summary>
public static class ConfirmContact
{
    public sealed record Query(string? Token) : IQuery<Pending?>;

    public sealed record Pending(string Name, string Email, string Account);

    internal sealed class QueryHandler(PortalDbContext db, TimeProvider time) : IQueryHandler<Query, Pending?>
    {
        public async ValueTask<Pending?> Handle(Query query, CancellationToken cancellationToken)
        {
            if (await ContactOfAsync(db.Contacts.AsNoTracking(), query.Token, time.GetUtcNow(), cancellationToken) is not { } contact)
            {
                return null;
            }

            var account = await db.Clients.AsNoTracking().Where(c => c.Id == contact.ClientId)
                .Select(c => new { c.FirstName, c.LastName, c.CompanyName }).SingleAsync(cancellationToken);
            return new Pending(contact.Name, contact.Email, Client.DisplayNameOf(account.FirstName, account.LastName, account.CompanyName));
        }
    }

    public sealed record Command(string? Token) : ICommand<bool>, ITransactional;

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            if (await ContactOfAsync(db.Contacts, command.Token, now, cancellationToken) is not { } contact)
            {
                return false;
            }

            contact.Confirm(now);
            activity.ForUser(null, contact.ClientId, $"Contact {contact.Name} ({contact.Email}) confirmed the address");
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
    }

    private static async Task<Contact?> ContactOfAsync(IQueryable<Contact> contacts, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Tokens.Hash(token);
        var contact = await contacts.FirstOrDefaultAsync(c => c.ConfirmationTokenHash == hash, cancellationToken);
        return contact is not null && contact.ConfirmationWorks(now) ? contact : null;
    }
}
