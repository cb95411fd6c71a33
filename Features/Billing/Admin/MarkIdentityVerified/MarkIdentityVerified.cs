using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>
/// An admin has checked who a user is. The user stays verified for every later order in every account; their orders
/// waiting for it go on, and those already paid are accepted and start their services. Sent from the admin order page
/// and from Manage User.
/// </summary>
public static class MarkIdentityVerified
{
    public sealed record Command(int UserId) : ICommand, ITransactional;

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, Activation activation, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken)
                ?? throw Refuse.NotFound("User");
            var now = time.GetUtcNow();
            if (!user.MarkIdentityVerified(activity.CurrentActor.AdminId, now))
            {
                return Unit.Value;
            }

            activity.Record($"User {user.Email} identity verified");
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
            return Unit.Value;
        }
    }
}
