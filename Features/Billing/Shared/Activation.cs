using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>
/// What follows a change that may start services (a full payment, an accepted order, a verified user): the services that
/// started get their login and a log entry each. Whether they start is the order's rule.
/// </summary>
public sealed class Activation(ServiceLogins logins, ActivityWriter activity)
{
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
