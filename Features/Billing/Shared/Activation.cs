using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>
/// What follows a change that may start services (a full payment, an accepted order, a verified user): the services that
/// started get their login and a log entry each. Whether they start is the order's rule.
/// </summary>
public sealed class Activation(PortalDbContext db, ServiceLogins logins, ActivityWriter activity)
{
    /// <summary>
    /// Before the write unit that places an order: a free order's services start as it is placed, so a login is prepared
    /// for each of them when nothing chosen costs anything.
    /// </summary>
    public async Task PrepareForOrderAsync(IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        var chosen = lines.Where(l => l.Quantity is > 0 and <= Order.MaxQuantity).ToList();
        var ids = chosen.Select(l => l.ProductId).Distinct().ToList();
        if (chosen.Count > 0 && !await db.Products.AnyAsync(p => ids.Contains(p.Id) && p.Price + p.SetupFee != 0, cancellationToken))
        {
            logins.Prepare(chosen.Sum(l => l.Quantity));
        }
    }

    /// <summary>
    /// Before the write unit that may start them: prepares a login for each of <paramref name="mayStart"/> (pending
    /// services of the orders concerned), so that starting them inside the unit needs no Data Protection.
    /// </summary>
    public async Task PrepareAsync(IQueryable<Service> mayStart, CancellationToken cancellationToken) =>
        logins.Prepare(await mayStart.CountAsync(s => s.Status == ServiceStatus.Pending, cancellationToken));

    public void Started(IEnumerable<Service> services, int clientId)
    {
        foreach (var service in services)
        {
            logins.Issue(service);
            activity.Record($"Service {service.Name} of order #{service.OrderId} activated", clientId);
        }
    }
}
