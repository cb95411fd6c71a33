using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
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
    /// the accounts of the orders that wait for them (<see cref="VerifiedUserOrders"/>).
    /// </summary>
    internal sealed class Handler(PortalDbContext db, WriteUnit writes, ActivityWriter activity, VerifiedUserOrders orders, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await orders.PrepareAsync(command.UserId, cancellationToken);
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

            // A document waiting for review is decided by the mark: its bytes are not kept for nothing.
            foreach (var document in await db.IdentityDocuments.Where(d => d.UserId == user.Id && d.Status == IdentityDocumentStatus.Pending).ToListAsync(cancellationToken))
            {
                document.Approve(activity.CurrentActor.AdminId, now);
                activity.Record($"Identity document {document.FileName} of {user.Email} approved by the mark, and deleted");
            }

            await orders.ReleaseAsync(user, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
