using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Billing.Invoices;

/// <summary>Every account's invoices for admins, newest first, by status and client, paged.</summary>
public static class ListInvoices
{
    public sealed record Query(InvoiceStatus? Status, int? ClientId, int Page) : IQuery<Paged<Row>>;

    public sealed record Row(int Id, int Number, int ClientId, string ClientName, DateTimeOffset IssuedAt, DateTimeOffset DueAt, decimal Total, decimal AmountPaid, InvoiceStatus Status)
    {
        public decimal Balance => Total - AmountPaid;
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoices = db.Invoices.AsNoTracking();
            if (query.Status is { } status)
            {
                invoices = invoices.Where(i => i.Status == status);
            }

            if (query.ClientId is { } clientId)
            {
                invoices = invoices.Where(i => i.ClientId == clientId);
            }

            var page = await invoices.OrderByDescending(i => i.Number)
                .Join(db.Clients, i => i.ClientId, c => c.Id, (i, c) => new { i, c.FirstName, c.LastName, c.CompanyName })
                .Select(x => new { x.i.Id, x.i.Number, x.i.ClientId, x.FirstName, x.LastName, x.CompanyName, x.i.IssuedAt, x.i.DueAt, x.i.Total, x.i.AmountPaid, x.i.Status })
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
            return new Paged<Row>(
                page.Items.Select(x => new Row(x.Id, x.Number, x.ClientId, Client.DisplayNameOf(x.FirstName, x.LastName, x.CompanyName), x.IssuedAt, x.DueAt, x.Total, x.AmountPaid, x.Status)).ToList(),
                page.Page, page.PageSize, page.Total);
        }
    }
}
