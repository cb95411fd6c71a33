using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>
/// What follows a user's identity being verified, however it was (an admin's mark, an approved identity document): their
/// orders waiting for it go on, and those already paid are accepted and start their services.
/// </summary>
public sealed class VerifiedUserOrders(PortalDbContext db, ActivityWriter activity, Activation activation)
{
    /// <summary>Prepares the logins of the services that may start, before the write unit opens.</summary>
    public Task PrepareAsync(int userId, CancellationToken cancellationToken) =>
        activation.PrepareAsync(db.Services.Where(s => s.Order.UserId == userId && s.Order.Status == OrderStatus.PendingVerification), cancellationToken);

    /// <summary>
    /// Inside the write unit that verified <paramref name="user"/> (its login locked): locks the accounts of the orders that
    /// wait for them, in id order, so that a payment on one of those orders waits, and moves each order on.
    /// </summary>
    public async Task ReleaseAsync(User user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var accounts = await db.Orders.Where(o => o.UserId == user.Id && o.Status == OrderStatus.PendingVerification)
            .Select(o => o.ClientId).Distinct().OrderBy(id => id).ToListAsync(cancellationToken);
        foreach (var clientId in accounts)
        {
            await db.LockAsync<Client>(clientId, cancellationToken);
        }

        var waiting = await db.Orders.Include(o => o.Invoice).Include(o => o.Services)
            .Where(o => o.UserId == user.Id && o.Status == OrderStatus.PendingVerification)
            .ToListAsync(cancellationToken);
        foreach (var order in waiting)
        {
            order.UserVerified(now);
            activity.Record($"Order #{order.Id} no longer waits for the identity verification of {user.Email}", order.ClientId);
            if (order.Invoice?.Status == InvoiceStatus.Paid)
            {
                var started = order.InvoicePaid(now);
                activity.Record($"Order #{order.Id} accepted: its invoice #{order.Invoice.Number} is paid", order.ClientId);
                activation.Started(started, order.ClientId);
            }
        }
    }
}
