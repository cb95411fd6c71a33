using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing.Invoices;

/// <summary>The active account's invoices, newest first, optionally only those with one status, paged.</summary>
public static class ListInvoices
{
    public sealed record Query(int ClientId, InvoiceStatus? Status, int Page) : IQuery<Paged<Row>>;

    public sealed record Row(int Id, int Number, DateTimeOffset IssuedAt, DateTimeOffset DueAt, decimal Total, decimal AmountPaid, InvoiceStatus Status)
    {
        public decimal Balance => Total - AmountPaid;
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoices = db.Invoices.AsNoTracking().Where(i => i.ClientId == query.ClientId);
            if (query.Status is { } status)
            {
                invoices = invoices.Where(i => i.Status == status);
            }

            return await invoices.OrderByDescending(i => i.Number)
                .Select(i => new Row(i.Id, i.Number, i.IssuedAt, i.DueAt, i.Total, i.AmountPaid, i.Status))
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
        }
    }
}
