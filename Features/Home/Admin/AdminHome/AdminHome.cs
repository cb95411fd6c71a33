using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Clients;
using Portal.Features.Membership;
using Portal.Features.Billing;
using Portal.Features.Support;

namespace Portal.Features.Home;

/// <summary>
/// The admin area's front page: what needs a look — invitations waiting for an answer, clients who registered lately,
/// e-mails that could not be sent and jobs that failed — each leading to where it is dealt with.
/// </summary>
public static class AdminHome
{
    public const int ListLength = 5;

    public sealed record Query : IQuery<Summary>;

    /// <summary>The admins' work queues, counted for the admin home and for the menu's badges.</summary>
    public sealed record Queues : IQuery<WorkQueues>;

    /// <param name="TicketsAwaitingReply">Tickets new or answered by the customer, waiting for staff.</param>
    /// <param name="PendingOrders">Orders waiting for the admin to accept them.</param>
    /// <param name="OverdueInvoices">Unpaid invoices past their due date.</param>
    public sealed record WorkQueues(int TicketsAwaitingReply, int PendingOrders, int OverdueInvoices);

    public sealed record Summary(
        int Clients,
        int Users,
        int PendingInvitationCount,
        IReadOnlyList<PendingInvitation> PendingInvitations,
        IReadOnlyList<NewClient> RecentClients,
        int FailedEmailCount,
        IReadOnlyList<FailedEmail> FailedEmails,
        long FailedJobCount,
        IReadOnlyList<FailedJob> FailedJobs);

    public sealed record PendingInvitation(int ClientId, string ClientName, string Email, DateTimeOffset ExpiresAt);

    public sealed record NewClient(int Id, string Name, ClientStatus Status, DateTimeOffset CreatedAt);

    public sealed record FailedEmail(string To, string Subject, string? Error, int Attempts, DateTimeOffset CreatedAt);

    public sealed record FailedJob(string Id, string Name, DateTimeOffset? FailedAt, string? Message);

    /// <summary>
    /// The counts beside the admin menu's items, read again at most every <see cref="MaxAge"/> per instance, so that an
    /// admin page does not count three tables on every request; the admin home counts afresh and hands its counts here.
    /// </summary>
    public sealed class MenuCounts(TimeProvider time)
    {
        public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

        private (WorkQueues Counts, DateTimeOffset At)? last;

        public async ValueTask<WorkQueues> GetAsync(ISender sender, CancellationToken cancellationToken = default)
        {
            if (last is { } known && time.GetUtcNow() - known.At < MaxAge)
            {
                return known.Counts;
            }

            var counts = await sender.Send(new Queues(), cancellationToken);
            Remember(counts);
            return counts;
        }

        public void Remember(WorkQueues counts) => last = (counts, time.GetUtcNow());
    }

    internal sealed class QueuesHandler(PortalDbContext db, TimeProvider time) : IQueryHandler<Queues, WorkQueues>
    {
        public async ValueTask<WorkQueues> Handle(Queues query, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            return new WorkQueues(
                await db.Tickets.CountAsync(TicketLabels.AwaitsReply, cancellationToken),
                await db.Orders.CountAsync(o => o.Status == OrderStatus.Pending, cancellationToken),
                await db.Invoices.CountAsync(Invoice.OverdueAt(now), cancellationToken));
        }
    }

    internal sealed class Handler(PortalDbContext db, JobStorage jobs) : IQueryHandler<Query, Summary>
    {
        public async ValueTask<Summary> Handle(Query query, CancellationToken cancellationToken)
        {
            var pending = db.Invitations.AsNoTracking().Where(i => i.Status == InvitationStatus.Pending);
            var pendingRows = await pending.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(ListLength)
                .Select(i => new { i.ClientId, i.Client.FirstName, i.Client.LastName, i.Client.CompanyName, i.Email, i.ExpiresAt })
                .ToListAsync(cancellationToken);
            var recentRows = await db.Clients.AsNoTracking().OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(ListLength)
                .Select(c => new { c.Id, c.FirstName, c.LastName, c.CompanyName, c.Status, c.CreatedAt })
                .ToListAsync(cancellationToken);
            var failedEmails = db.EmailMessages.AsNoTracking().Where(m => m.SentAt == null && m.LastError != null);
            var failedEmailRows = await failedEmails.OrderByDescending(m => m.Id).Take(ListLength)
                .Select(m => new FailedEmail(m.To, m.Subject, m.LastError, m.Attempts, m.CreatedAt))
                .ToListAsync(cancellationToken);

            var monitoring = jobs.GetMonitoringApi();
            var failedJobs = monitoring.FailedJobs(0, ListLength)
                .Select(j => new FailedJob(
                    j.Key, j.Value.Job is { } job ? $"{job.Type.Name}.{job.Method.Name}" : "Unknown job",
                    j.Value.FailedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
                    j.Value.ExceptionMessage))
                .ToList();

            return new Summary(
                await db.Clients.CountAsync(cancellationToken),
                await db.Users.CountAsync(cancellationToken),
                await pending.CountAsync(cancellationToken),
                pendingRows.Select(i => new PendingInvitation(i.ClientId, Client.DisplayNameOf(i.FirstName, i.LastName, i.CompanyName), i.Email, i.ExpiresAt)).ToList(),
                recentRows.Select(c => new NewClient(c.Id, Client.DisplayNameOf(c.FirstName, c.LastName, c.CompanyName), c.Status, c.CreatedAt)).ToList(),
                await failedEmails.CountAsync(cancellationToken),
                failedEmailRows,
                monitoring.FailedCount(),
                failedJobs);
        }
    }
}
