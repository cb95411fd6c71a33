using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

/// <summary>Every account's invoices for admins, newest first, by status and client, paged.</summary>
public static class ListAllInvoices
{
    /// <param name="Overdue">Only unpaid invoices past their due date; the admin menu counts them.</param>
    public sealed record Query(InvoiceStatus? Status, int? ClientId, PageRequest Page, bool Overdue = false) : IQuery<KeysetPage<Row>>;

    public sealed record Row(int Id, int Number, int ClientId, string ClientName, DateTimeOffset IssuedAt, DateTimeOffset DueAt, decimal Total, decimal AmountPaid, InvoiceStatus Status)
    {
        public decimal Balance => Total - AmountPaid;
    }

    internal sealed class Handler(PortalDbContext db, TimeProvider time) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoices = db.Invoices.AsNoTracking();
            if (query.Status is { } status)
            {
                invoices = invoices.Where(i => i.Status == status);
            }

            if (query.Overdue)
            {
                invoices = invoices.Where(Invoice.OverdueAt(time.GetUtcNow()));
            }

            if (query.ClientId is { } clientId)
            {
                invoices = invoices.Where(i => i.ClientId == clientId);
            }

            // Invoice numbers are unique and rise with time: the list is read from the number in the link.
            return await Keyset.ReadAsync(
                query.Page,
                Paging.DefaultPageSize,
                key => Project((key is { } number ? invoices.Where(i => i.Number < number) : invoices).OrderByDescending(i => i.Number)),
                key => Project(invoices.Where(i => i.Number > key).OrderBy(i => i.Number)),
                IdKey.Parse,
                row => row.Number.ToString(CultureInfo.InvariantCulture),
                await invoices.CountUpToLimitAsync(cancellationToken),
                cancellationToken);
        }

        private IQueryable<Row> Project(IQueryable<Invoice> invoices) =>
            invoices
                .Join(db.Clients, i => i.ClientId, c => c.Id, (i, c) => new { i, c.FirstName, c.LastName, c.CompanyName })
                .Select(x => new Row(x.i.Id, x.i.Number, x.i.ClientId, Client.DisplayNameOf(x.FirstName, x.LastName, x.CompanyName), x.i.IssuedAt, x.i.DueAt, x.i.Total, x.i.AmountPaid, x.i.Status));
    }
}
