using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;

namespace Portal.Features.ExpireInvitations;

/// <summary>
/// The daily automation for invitations: pending ones past their validity become expired, and settled ones
/// (expired, cancelled, accepted) older than fourteen days are deleted. Running it again changes nothing.
/// </summary>
public static class ExpireInvitations
{
    public const string RecurringJobId = "expire-invitations";
    public static readonly TimeSpan DeleteAfter = TimeSpan.FromDays(14);

    public sealed record Outcome(int Expired, int Deleted);

    public sealed class Job(PortalDbContext db, ActivityWriter activity, TimeProvider time)
    {
        [Hangfire.AutomaticRetry(Attempts = 3)]
        [Hangfire.DisableConcurrentExecution(600)]
        public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var lapsed = await db.Invitations
                .Include(i => i.Client)
                .Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt <= now)
                .ToListAsync(cancellationToken);
            foreach (var invitation in lapsed)
            {
                invitation.Expire();
                activity.System($"Invitation to {invitation.Email} for {invitation.Client.DisplayName} expired", invitation.ClientId);
            }

            await db.SaveChangesAsync(cancellationToken);

            var cutoff = now - DeleteAfter;
            var deleted = await db.Invitations
                .Where(i => i.Status != InvitationStatus.Pending && i.CreatedAt < cutoff)
                .ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                activity.System($"Deleted {deleted} invitation(s) older than {DeleteAfter.TotalDays:0} days");
                await db.SaveChangesAsync(cancellationToken);
            }

            return new Outcome(lapsed.Count, deleted);
        }
    }
}
