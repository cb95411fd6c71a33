using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Support;

/// <summary>The active account's contacts: people who never log in but receive the e-mails they asked for.</summary>
public static class ListContacts
{
    public sealed record Query(int ClientId) : IQuery<IReadOnlyList<Row>>;

    public sealed record Row(int Id, string Name, string Email, string Phone, string Role, bool Invoices, bool Support, bool General)
    {
        public string Receives => string.Join(", ", new[] { Invoices ? "Invoices" : null, Support ? "Support" : null, General ? "General" : null }.OfType<string>()) is { Length: > 0 } s ? s : "Nothing";
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Contacts.AsNoTracking().Where(c => c.ClientId == query.ClientId).OrderBy(c => c.Name).ThenBy(c => c.Id)
                .Select(c => new Row(c.Id, c.Name, c.Email, c.Phone, c.Role, c.ReceivesInvoices, c.ReceivesSupport, c.ReceivesGeneral))
                .ToListAsync(cancellationToken);
    }
}
