using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

/// <summary>The active account's invoices, newest first, optionally only those with one status, paged Newer/Older by number.</summary>
public static class ListInvoices
{
    public sealed record Query(int ClientId, InvoiceStatus? Status, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(int Id, int Number, DateTimeOffset IssuedAt, DateTimeOffset DueAt, decimal Total, decimal AmountPaid, InvoiceStatus Status)
    {
        public decimal Balance => Total - AmountPaid;
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoices = db.Invoices.AsNoTracking().Where(i => i.ClientId == query.ClientId);
            if (query.Status is { } status)
            {
                invoices = invoices.Where(i => i.Status == status);
            }

            return await invoices.ReadNewestFirstAsync(
                i => i.Number, i => new Row(i.Id, i.Number, i.IssuedAt, i.DueAt, i.Total, i.AmountPaid, i.Status), row => row.Number, query.Page, cancellationToken);
        }
    }
}
