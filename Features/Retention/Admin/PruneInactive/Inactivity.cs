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
/// Who the retention rule deletes, written once: the preview lists these queries, the run walks them, and each deletion
/// asks them again inside its own transaction. A client qualifies when none of <see cref="Criteria"/> keeps it.
/// </summary>
public sealed class Inactivity(PortalDbContext db, DateTimeOffset cutoff)
{
    public static Inactivity For(PortalDbContext db, int months, DateTimeOffset now) => new(db, now.AddMonths(-months));

    /// <summary>The start of the period: activity since then keeps a client.</summary>
    public DateTimeOffset Cutoff => cutoff;

    /// <summary>Each thing that keeps a client, with the reason a run gives when it skips one.</summary>
    private IEnumerable<(string Reason, Expression<Func<Client, bool>> Keeps)> Criteria() =>
    [
        ("its status is Active", c => c.Status != ClientStatus.Inactive && c.Status != ClientStatus.Closed),
        ("it was created within the period", c => c.CreatedAt >= cutoff),
        ("it paid an invoice within the period", c => db.Invoices.Any(i => i.ClientId == c.Id && i.Payments.Any(p => p.Date >= cutoff))),
        ("it has an Active, Pending or Suspended service", c => db.Services.Any(s => s.ClientId == c.Id
            && (s.Status == ServiceStatus.Active || s.Status == ServiceStatus.Pending || s.Status == ServiceStatus.Suspended))),
        ("it has an unpaid invoice issued within the period", c => db.Invoices.Any(i => i.ClientId == c.Id && i.Status == InvoiceStatus.Unpaid && i.IssuedAt >= cutoff)),
        ("it has an open ticket with activity within the period", c => db.Tickets.Any(t => t.ClientId == c.Id && t.Status != TicketStatus.Closed && t.LastReplyAt >= cutoff)),
    ];

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
