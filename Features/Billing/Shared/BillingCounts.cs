using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>How an account stands in billing: the counts the client dashboard and the admin's client page show.</summary>
public sealed record BillingCounts(
    int Orders, int OpenOrders, int Invoices, int UnpaidInvoices, decimal TotalDue, int Services, int ActiveServices, int CancellationRequests,
    IReadOnlyList<string> UsersAwaitingVerification)
{
    public static async Task<BillingCounts> OfAsync(PortalDbContext db, int clientId, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => o.ClientId == clientId).GroupBy(o => o.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.ClientId == clientId)
            .Select(i => new { i.Status, i.Total, i.AmountPaid }).ToListAsync(cancellationToken);
        var services = await db.Services.AsNoTracking().Where(s => s.ClientId == clientId)
            .Select(s => new { s.Status, Requested = s.CancellationRequestedAt != null }).ToListAsync(cancellationToken);
        var waiting = await db.Orders.AsNoTracking().Where(o => o.ClientId == clientId && o.Status == OrderStatus.PendingVerification)
            .Select(o => o.User.FirstName + " " + o.User.LastName + " (" + o.User.Email + ")").Distinct().ToListAsync(cancellationToken);
        var unpaid = invoices.Where(i => i.Status == InvoiceStatus.Unpaid).ToList();
        return new BillingCounts(
            orders.Sum(o => o.Count),
            orders.Where(o => o.Status is OrderStatus.Pending or OrderStatus.PendingVerification).Sum(o => o.Count),
            invoices.Count,
            unpaid.Count,
            unpaid.Sum(i => i.Total - i.AmountPaid),
            services.Count,
            services.Count(s => s.Status == ServiceStatus.Active),
            services.Count(s => s.Requested && s.Status != ServiceStatus.Cancelled),
            waiting);
    }
}
