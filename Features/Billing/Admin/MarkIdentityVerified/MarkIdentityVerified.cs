using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;
using Portal.Features.Identity;

namespace Portal.Features.Billing;

/// <summary>
/// An admin has checked who a user is. The user stays verified for every later order in every account; their orders
/// waiting for it go on, and those already paid are accepted and start their services. Sent from the admin order page
/// and from Manage User.
/// </summary>
public static class MarkIdentityVerified
{
    public sealed record Command(int UserId) : ICommand;

    /// <summary>
    /// The logins of the services that may start are prepared before the write unit opens; the unit locks the user, then
    /// the accounts of the orders that wait for them (in id order), so that a payment on one of those orders waits.
    /// </summary>
    internal sealed class Handler(PortalDbContext db, WriteUnit writes, ActivityWriter activity, Activation activation, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await activation.PrepareAsync(
                db.Services.Where(s => s.Order.UserId == command.UserId && s.Order.Status == OrderStatus.PendingVerification), cancellationToken);
            await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => VerifyAsync(command, ct), cancellationToken);
            return Unit.Value;
        }

        private async Task VerifyAsync(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<User>(command.UserId, cancellationToken))
            {
                throw Refuse.NotFound("User");
            }

            var user = await db.Users.SingleAsync(u => u.Id == command.UserId, cancellationToken);
            var now = time.GetUtcNow();
            if (!user.MarkIdentityVerified(activity.CurrentActor.AdminId, now))
            {
                return;
            }

            activity.Record($"User {user.Email} identity verified");
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

            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
