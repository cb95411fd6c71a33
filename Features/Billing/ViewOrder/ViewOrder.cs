using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>One order of the active account as its users see it, with the user it belongs to and what it waits for.</summary>
public static class ViewOrder
{
    public sealed record Query(int ClientId, int OrderId) : IQuery<Details?>;

    public sealed record Item(string Name, BillingCycle Cycle, int Quantity, decimal UnitPrice, decimal SetupFee, decimal Amount);

    public sealed record Details(
        int Id,
        DateTimeOffset PlacedAt,
        OrderStatus Status,
        string UserName,
        string UserEmail,
        bool CreatedByAdmin,
        int? InvoiceId,
        int? InvoiceNumber,
        InvoiceStatus? InvoiceStatus,
        IReadOnlyList<Item> Items,
        int UserId = 0)
    {
        public decimal Total => Items.Sum(i => i.Amount);
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Details?>
    {
        public async ValueTask<Details?> Handle(Query query, CancellationToken cancellationToken)
        {
            var order = await db.Orders.AsNoTracking()
                .Where(o => o.Id == query.OrderId && o.ClientId == query.ClientId)
                .Select(o => new
                {
                    o.Id, o.PlacedAt, o.Status, o.UserId, o.User.FirstName, o.User.LastName, o.User.Email, o.CreatedByAdminId,
                    InvoiceId = (int?)o.Invoice!.Id, InvoiceNumber = (int?)o.Invoice.Number, InvoiceStatus = (InvoiceStatus?)o.Invoice.Status,
                    Items = o.Items.OrderBy(i => i.Id).Select(i => new { i.Name, i.Cycle, i.Quantity, i.UnitPrice, i.SetupFee }).ToList(),
                })
                .SingleOrDefaultAsync(cancellationToken);
            return order is null
                ? null
                : new Details(
                    order.Id, order.PlacedAt, order.Status, $"{order.FirstName} {order.LastName}".Trim(), order.Email ?? "", order.CreatedByAdminId is not null,
                    order.InvoiceId, order.InvoiceNumber, order.InvoiceStatus,
                    order.Items.Select(i => new Item(i.Name, i.Cycle, i.Quantity, i.UnitPrice, i.SetupFee, i.Quantity * (i.UnitPrice + i.SetupFee))).ToList(),
                    order.UserId);
        }
    }
}
