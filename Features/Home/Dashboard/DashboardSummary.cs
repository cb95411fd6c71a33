using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Features.Membership;
using Portal.Features.Billing;
using Portal.Features.Support;

namespace Portal.Features.Home;

/// <summary>
/// The active account at a glance: the team and recent activity for the owner, and one tile per area the user may
/// open. The counts come from one query; amounts, activity and the verification notice only for those who see them.
/// </summary>
public static class DashboardSummary
{
    public const int RecentActivityCount = 5;

    /// <summary>How many rows each "needs your attention" list shows; the list's page has the rest.</summary>
    public const int AttentionCount = 5;

    /// <summary>A service is "due soon" when its next payment falls within this many days.</summary>
    public const int DueSoonDays = 14;

    /// <summary>What the dashboard shows; <paramref name="ShowTeam"/> when the user manages the account's users.</summary>
    public sealed record Query(int ClientId, int UserId, PermissionSet Permissions, bool IsOwner, bool ShowTeam) : IQuery<Summary>;

    public sealed record Summary(
        bool FirstVisit,
        int Users,
        int PendingInvitations,
        int ActiveServices,
        int UnpaidInvoices,
        decimal TotalDue,
        int OpenOrders,
        int OpenTickets,
        IReadOnlyList<string> UsersAwaitingVerification,
        IReadOnlyList<RecentEntry> RecentActivity,
        IReadOnlyList<UnpaidInvoice> Unpaid,
        IReadOnlyList<AwaitingTicket> AwaitingReply,
        IReadOnlyList<DueService> DueSoon,
        bool MustVerifyIdentity = false)
    {
        public bool NeedsAttention => MustVerifyIdentity || Unpaid.Count + AwaitingReply.Count + DueSoon.Count > 0;
    }

    public sealed record RecentEntry(DateTimeOffset At, string Description);

    public sealed record UnpaidInvoice(int Id, int Number, DateTimeOffset DueAt, decimal Balance);

    public sealed record AwaitingTicket(int Id, string Reference, string Subject, DateTimeOffset LastReplyAt);

    public sealed record DueService(int Id, string Name, DateTimeOffset NextDueAt, decimal Amount);

    internal sealed class Handler(PortalDbContext db, TimeProvider time) : IQueryHandler<Query, Summary>
    {
        public async ValueTask<Summary> Handle(Query query, CancellationToken cancellationToken)
        {
            var clientId = query.ClientId;
            var counts = await db.Users.AsNoTracking()
                .Where(u => u.Id == query.UserId)
                .Select(u => new
                {
                    u.WelcomedAt,
                    Users = db.ClientUsers.Count(cu => cu.ClientId == clientId),
                    PendingInvitations = db.Invitations.Count(i => i.ClientId == clientId && i.Status == InvitationStatus.Pending),
                    ActiveServices = db.Services.Count(s => s.ClientId == clientId && s.Status == ServiceStatus.Active),
                    UnpaidInvoices = db.Invoices.Count(i => i.ClientId == clientId && i.Status == InvoiceStatus.Unpaid),
                    OpenOrders = db.Orders.Count(o => o.ClientId == clientId && (o.Status == OrderStatus.Pending || o.Status == OrderStatus.PendingVerification)),
                    OpenTickets = db.Tickets.Count(t => t.ClientId == clientId && t.Status != TicketStatus.Closed),

                    // The user's own orders, in any account, that wait for their identity to be verified.
                    MustVerifyIdentity = u.IdentityVerifiedAt == null && db.Orders.Any(o => o.UserId == u.Id && o.Status == OrderStatus.PendingVerification),
                })
                .SingleAsync(cancellationToken);

            var totalDue = 0m;
            IReadOnlyList<UnpaidInvoice> unpaidList = [];
            if (query.Permissions.Has(Permission.Invoices) && counts.UnpaidInvoices > 0)
            {
                // Amounts are stored in minor units through a converter, which SQL cannot sum; unpaid invoices are few.
                var unpaid = await db.Invoices.AsNoTracking().Where(i => i.ClientId == clientId && i.Status == InvoiceStatus.Unpaid)
                    .Select(i => new { i.Id, i.Number, i.DueAt, i.Total, i.AmountPaid }).ToListAsync(cancellationToken);
                totalDue = unpaid.Sum(i => i.Total - i.AmountPaid);
                unpaidList = unpaid.OrderBy(i => i.DueAt).ThenBy(i => i.Number).Take(AttentionCount)
                    .Select(i => new UnpaidInvoice(i.Id, i.Number, i.DueAt, i.Total - i.AmountPaid)).ToList();
            }

            // A ticket the provider has answered waits for the client's reply.
            IReadOnlyList<AwaitingTicket> awaiting = [];
            if (query.Permissions.Has(Permission.Tickets) && counts.OpenTickets > 0)
            {
                awaiting = await db.Tickets.AsNoTracking().Where(t => t.ClientId == clientId && t.Status == TicketStatus.Answered)
                    .OrderByDescending(t => t.LastReplyAt).ThenByDescending(t => t.Id).Take(AttentionCount)
                    .Select(t => new AwaitingTicket(t.Id, t.Reference, t.Subject, t.LastReplyAt)).ToListAsync(cancellationToken);
            }

            IReadOnlyList<DueService> dueSoon = [];
            if (query.Permissions.Has(Permission.Products) && counts.ActiveServices > 0)
            {
                var until = time.GetUtcNow().AddDays(DueSoonDays);
                var due = await db.Services.AsNoTracking()
                    .Where(v => v.ClientId == clientId && v.Status == ServiceStatus.Active && v.NextDueAt != null && v.NextDueAt <= until)
                    .Select(v => new { v.Id, v.Name, v.NextDueAt, v.Amount }).ToListAsync(cancellationToken);
                dueSoon = due.OrderBy(v => v.NextDueAt).ThenBy(v => v.Id).Take(AttentionCount).Select(v => new DueService(v.Id, v.Name, v.NextDueAt!.Value, v.Amount)).ToList();
            }

            IReadOnlyList<string> waiting = [];
            if (query.Permissions.Has(Permission.Orders) && counts.OpenOrders > 0)
            {
                waiting = await db.Orders.AsNoTracking().Where(o => o.ClientId == clientId && o.Status == OrderStatus.PendingVerification)
                    .Select(o => o.User.FirstName + " " + o.User.LastName + " (" + o.User.Email + ")").Distinct().ToListAsync(cancellationToken);
            }

            IReadOnlyList<RecentEntry> recent = [];
            if (query.IsOwner)
            {
                recent = await db.ActivityLog.AsNoTracking().Where(e => e.ClientId == clientId)
                    .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
                    .Select(e => new RecentEntry(e.At, e.Description))
                    .Take(RecentActivityCount)
                    .ToListAsync(cancellationToken);
            }

            // Like a session's last-seen time, the first visit is written once, never on every request.
            var firstVisit = counts.WelcomedAt is null;
            if (firstVisit)
            {
                var now = time.GetUtcNow();
                await db.Users.Where(u => u.Id == query.UserId && u.WelcomedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.WelcomedAt, now), cancellationToken);
            }

            return new Summary(
                firstVisit, counts.Users, counts.PendingInvitations, counts.ActiveServices, counts.UnpaidInvoices, totalDue,
                counts.OpenOrders, counts.OpenTickets, waiting, recent, unpaidList, awaiting, dueSoon, counts.MustVerifyIdentity);
        }
    }
}
