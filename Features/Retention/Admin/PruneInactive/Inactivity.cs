using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Billing;
using Portal.Features.Support;

namespace Portal.Features.Retention;

/// <summary>
/// Who the retention rule deletes, written once: the preview lists these queries (and why the others are kept), the run
/// walks them, and each deletion asks them again inside its own transaction. A client qualifies when none of
/// <see cref="Criteria"/> keeps it.
/// </summary>
public sealed class Inactivity(PortalDbContext db, DateTimeOffset cutoff)
{
    public static Inactivity For(PortalDbContext db, int months, DateTimeOffset now) => new(db, now.AddMonths(-months));

    /// <summary>The start of the period: activity since then keeps a client.</summary>
    public DateTimeOffset Cutoff => cutoff;

    public const string StatusReason = "its status is Active";
    public const string OwesReason = "it owes money: an unpaid invoice has a balance due";
    public const string PaidReason = "it paid an invoice within the period (by the payment's date or when it was recorded)";

    /// <summary>
    /// Each thing that keeps a client, with the reason the preview and a run give. Money keeps a client: a balance still
    /// due, however old (deleting the client would delete the debt with its invoices and payments), and any payment or
    /// refund recorded within the period, whatever date was typed as the payment's own.
    /// </summary>
    private IEnumerable<(string Reason, Expression<Func<Client, bool>> Keeps)> Criteria() =>
    [
        (StatusReason, c => c.Status != ClientStatus.Inactive && c.Status != ClientStatus.Closed),
        ("it was created within the period", c => c.CreatedAt >= cutoff),
        (OwesReason, c => db.Invoices.Any(i => i.ClientId == c.Id && i.Status == InvoiceStatus.Unpaid && i.Total > i.AmountPaid)),
        (PaidReason, c => db.Invoices.Any(i => i.ClientId == c.Id && i.Payments.Any(p => p.Date >= cutoff || p.RecordedAt >= cutoff))),
        ("it was refunded within the period", c => db.Invoices.Any(i => i.ClientId == c.Id && i.Refunds.Any(r => r.RefundedAt >= cutoff))),
        ("it has an Active, Pending or Suspended service", c => db.Services.Any(s => s.ClientId == c.Id
            && (s.Status == ServiceStatus.Active || s.Status == ServiceStatus.Pending || s.Status == ServiceStatus.Suspended))),
        ("it has an open ticket with activity within the period", c => db.Tickets.Any(t => t.ClientId == c.Id && t.Status != TicketStatus.Closed && t.LastReplyAt >= cutoff)),
    ];

    /// <summary>
    /// The Inactive or Closed clients the rule keeps all the same, newest first, each with why: what the preview lists
    /// beside what it deletes. One query per reason, whatever the number of rows.
    /// </summary>
    public async Task<IReadOnlyList<(int ClientId, IReadOnlyList<string> Reasons)>> KeptAsync(int rows, CancellationToken cancellationToken)
    {
        var deleted = Clients();
        var kept = await db.Clients.Where(c => c.Status == ClientStatus.Inactive || c.Status == ClientStatus.Closed)
            .Where(c => !deleted.Any(d => d.Id == c.Id))
            .OrderByDescending(c => c.Id).Select(c => c.Id).Take(rows).ToListAsync(cancellationToken);
        var reasons = kept.ToDictionary(id => id, _ => new List<string>());
        foreach (var (reason, keeps) in Criteria())
        {
            foreach (var id in await db.Clients.Where(c => kept.Contains(c.Id)).Where(keeps).Select(c => c.Id).ToListAsync(cancellationToken))
            {
                reasons[id].Add(reason);
            }
        }

        return kept.Select(id => (id, (IReadOnlyList<string>)reasons[id])).ToList();
    }

    /// <summary>The clients the rule deletes.</summary>
    public IQueryable<Client> Clients()
    {
        var clients = db.Clients.AsQueryable();
        foreach (var (_, keeps) in Criteria())
        {
            clients = clients.Where(Expression.Lambda<Func<Client, bool>>(Expression.Not(keeps.Body), keeps.Parameters));
        }

        return clients;
    }

    /// <summary>Why a client that the rule does not delete is kept; empty when it qualifies.</summary>
    public async Task<IReadOnlyList<string>> WhyKeptAsync(int clientId, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var (reason, keeps) in Criteria())
        {
            if (await db.Clients.Where(c => c.Id == clientId).AnyAsync(keeps, cancellationToken))
            {
                reasons.Add(reason);
            }
        }

        return reasons;
    }

    /// <summary>
    /// The users that go with the clients when the toggle is on: every account they reach is one the rule deletes. Delete
    /// Client removes a user once their last association is gone, so deleting all the clients deletes exactly these.
    /// </summary>
    public IQueryable<User> UsersOfClients()
    {
        var clients = Clients();
        return db.Users.Where(u => u.Accounts.Any() && u.Accounts.All(cu => clients.Any(c => c.Id == cu.ClientId)));
    }

    /// <summary>
    /// Users who reach no account and have not logged in during the period; deleted only with the toggle on. A user
    /// who placed an order for an account they have since left stays: the order still names them.
    /// </summary>
    public IQueryable<User> UsersWithoutAccount() =>
        db.Users.Where(u => !u.Accounts.Any()
            && !db.Clients.Any(c => c.OwnerUserId == u.Id)
            && u.CreatedAt < cutoff
            && (u.LastLoginAt == null || u.LastLoginAt < cutoff)
            && !db.Orders.Any(o => o.UserId == u.Id));
}
