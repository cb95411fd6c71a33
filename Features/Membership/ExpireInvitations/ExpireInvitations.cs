using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Membership;

/// <summary>
/// The daily automation for invitations: pending ones past their validity become expired, and settled ones
/// (expired, cancelled, accepted) older than fourteen days are deleted. Running it again changes nothing.
/// </summary>
public static class ExpireInvitations
{
    public const string RecurringJobId = "expire-invitations";

    /// <summary>Daily, through <see cref="Infrastructure.Jobs.JobsSetup.AddRecurringJob"/>.</summary>
    public static void Schedule(IRecurringJobManager jobs, IConfiguration configuration) =>
        jobs.AddOrUpdate<Job>(RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(3));
    public static readonly TimeSpan DeleteAfter = TimeSpan.FromDays(14);

    public sealed record Outcome(int Expired, int Deleted);

    /// <summary>
    /// Expires every lapsed pending invitation. Two runs at once (or a run after one that was cut off) must not expire and
    /// log an invitation twice. The status is a concurrency token, so each expiry is saved by a conditional update in one
    /// save with its log entry: a run that lost a row to another run fails whole, and its retry finds that row already expired.
    /// </summary>
    public sealed record Expire : ICommand<int>, ITransactional;

    internal sealed class ExpireHandler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Expire, int>
    {
        public async ValueTask<int> Handle(Expire command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var lapsed = await db.Invitations
                .Include(i => i.Client)
                .Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt <= now)
                .ToListAsync(cancellationToken);
            var expired = 0;
            foreach (var invitation in lapsed.Where(i => i.Expire(now)))
            {
                expired++;
                activity.System($"Invitation to {invitation.Email} for {invitation.Client.DisplayName} expired", invitation.ClientId);
            }

            await db.SaveChangesAsync(cancellationToken);
            return expired;
        }
    }

    public sealed class Job(ISender sender, PortalDbContext db, ActivityWriter activity, TimeProvider time)
    {
        [Hangfire.AutomaticRetry(Attempts = 3)]
        [Hangfire.DisableConcurrentExecution(600)]
        public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
        {
            var expired = await sender.Send(new Expire(), cancellationToken);

            var cutoff = time.GetUtcNow() - DeleteAfter;
            var deleted = await db.Invitations
                .Where(i => i.Status != InvitationStatus.Pending && i.CreatedAt < cutoff)
                .ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                activity.System($"Deleted {deleted} invitation(s) older than {DeleteAfter.TotalDays:0} days");
                await db.SaveChangesAsync(cancellationToken);
            }

            return new Outcome(expired, deleted);
        }
    }
}
