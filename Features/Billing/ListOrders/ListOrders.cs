using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

/// <summary>
/// The active account's orders, newest first, optionally only those with one status, paged Newer/Older by order number:
/// what was ordered, its total, its invoice and where it stands.
/// </summary>
public static class ListOrders
{
    public sealed record Query(int ClientId, OrderStatus? Status, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(
        int Id, DateTimeOffset PlacedAt, string PlacedBy, OrderStatus Status, IReadOnlyList<string> Items, int? InvoiceId, int? InvoiceNumber, decimal? Total, InvoiceStatus? InvoiceStatus);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var orders = db.Orders.AsNoTracking().Where(o => o.ClientId == query.ClientId);
            if (query.Status is { } status)
            {
                orders = orders.Where(o => o.Status == status);
            }

            return await orders.ReadNewestFirstAsync(
                o => o.Id,
                o => new Row(
                    o.Id, o.PlacedAt, o.User.FirstName + " " + o.User.LastName, o.Status,
                    o.Items.OrderBy(i => i.Id).Select(i => i.Quantity + " × " + i.Name).ToList(),
                    o.Invoice == null ? null : o.Invoice.Id, o.Invoice == null ? null : o.Invoice.Number,
                    o.Invoice == null ? null : o.Invoice.Total, o.Invoice == null ? null : o.Invoice.Status),
                row => row.Id, query.Page, cancellationToken);
        }
    }
}
