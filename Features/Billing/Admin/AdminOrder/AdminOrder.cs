using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

/// <summary>One order as the admin sees it: who it belongs to and who created it, its user's verification, its invoice and services.</summary>
public static class AdminOrder
{
    public sealed record Query(int OrderId) : IQuery<Details?>;

    public sealed record Item(string Name, BillingCycle Cycle, int Quantity, decimal Amount);

    /// <summary>The identity document the order's user uploaded, waiting for the admin's decision.</summary>
    public sealed record PendingDocument(int Id, string FileName, Portal.Features.Identity.IdentityDocumentKind Kind, int Length, DateTimeOffset UploadedAt);

    public sealed record ServiceRow(int Id, string Name, ServiceStatus Status, CancellationKind? CancellationKind, string? CancellationReason);

    public sealed record Details(
        int Id, int ClientId, string ClientName, DateTimeOffset PlacedAt, OrderStatus Status,
        int UserId, string UserName, string UserEmail, DateTimeOffset? UserVerifiedAt,
        string? CreatedByAdminName, string? OwnerName, string? OwnerEmail,
        int? InvoiceId, int? InvoiceNumber, InvoiceStatus? InvoiceStatus, decimal Total,
        IReadOnlyList<Item> Items, IReadOnlyList<ServiceRow> Services, string? StatusReason = null, PendingDocument? Document = null)
    {
        /// <summary>The sentence that says whose order this is: every order is associated with one user.</summary>
        public string Attribution => CreatedByAdminName is null
            ? $"Placed by {UserName} ({UserEmail})"
            : $"Created by admin {CreatedByAdminName}, associated with owner {UserName} ({UserEmail})";
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Details?>
    {
        public async ValueTask<Details?> Handle(Query query, CancellationToken cancellationToken)
        {
            var o = await db.Orders.AsNoTracking().Where(x => x.Id == query.OrderId)
                .Select(x => new
                {
                    x.Id, x.ClientId, x.PlacedAt, x.Status, x.StatusReason, x.UserId, x.User.FirstName, x.User.LastName, x.User.Email, x.User.IdentityVerifiedAt, x.CreatedByAdminId,
                    InvoiceId = (int?)x.Invoice!.Id, InvoiceNumber = (int?)x.Invoice.Number, InvoiceStatus = (InvoiceStatus?)x.Invoice.Status, Total = (decimal?)x.Invoice.Total,
                    Items = x.Items.OrderBy(i => i.Id).Select(i => new { i.Name, i.Cycle, i.Quantity, i.UnitPrice, i.SetupFee }).ToList(),
                    Services = x.Services.OrderBy(s => s.Id).Select(s => new ServiceRow(s.Id, s.Name, s.Status, s.CancellationKind, s.CancellationReason)).ToList(),
                })
                .SingleOrDefaultAsync(cancellationToken);
            if (o is null)
            {
                return null;
            }

            var client = await db.Clients.AsNoTracking().Where(c => c.Id == o.ClientId).Select(c => new { c.FirstName, c.LastName, c.CompanyName }).SingleAsync(cancellationToken);
            var admin = o.CreatedByAdminId is { } adminId
                ? await db.Admins.AsNoTracking().Where(a => a.Id == adminId).Select(a => a.FirstName + " " + a.LastName).SingleOrDefaultAsync(cancellationToken)
                : null;
            var document = await db.IdentityDocuments.AsNoTracking()
                .Where(d => d.UserId == o.UserId && d.Status == Portal.Features.Identity.IdentityDocumentStatus.Pending)
                .OrderByDescending(d => d.Id)
                .Select(d => new PendingDocument(d.Id, d.FileName, d.Kind, d.Length, d.UploadedAt))
                .FirstOrDefaultAsync(cancellationToken);
            return new Details(
                o.Id, o.ClientId, Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName), o.PlacedAt, o.Status,
                o.UserId, $"{o.FirstName} {o.LastName}".Trim(), o.Email ?? "", o.IdentityVerifiedAt,
                admin?.Trim() ?? (o.CreatedByAdminId is null ? null : "(deleted)"), null, null,
                o.InvoiceId, o.InvoiceNumber, o.InvoiceStatus, o.Total ?? 0,
                o.Items.Select(i => new Item(i.Name, i.Cycle, i.Quantity, i.Quantity * (i.UnitPrice + i.SetupFee))).ToList(), o.Services, o.StatusReason, document);
        }
    }
}

/// <summary>An admin accepts a pending order; its services start if its invoice is paid. Cancelling is <see cref="CancelOrder"/>, confirmed.</summary>
public static class AcceptOrder
{
    public sealed record Command(int OrderId) : ICommand;

    /// <summary>
    /// Accepting may start the order's services: their logins are prepared before the write unit opens; the unit locks
    /// the order's account, so that a decision and a payment on the same order take turns.
    /// </summary>
    internal sealed class Handler(PortalDbContext db, WriteUnit writes, ActivityWriter activity, Activation activation, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await activation.PrepareAsync(db.Services.Where(s => s.OrderId == command.OrderId), cancellationToken);
            await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => AcceptAsync(command, ct), cancellationToken);
            return Unit.Value;
        }

        private async Task AcceptAsync(Command command, CancellationToken cancellationToken)
        {
            var clientId = await db.Orders.Where(o => o.Id == command.OrderId).Select(o => (int?)o.ClientId).SingleOrDefaultAsync(cancellationToken)
                ?? throw Refuse.NotFound("Order");
            await db.LockAsync<Client>(clientId, cancellationToken);
            var order = await db.Orders.Include(o => o.Invoice).Include(o => o.Services)
                .SingleOrDefaultAsync(o => o.Id == command.OrderId, cancellationToken)
                ?? throw Refuse.NotFound("Order");
            if (order.CannotAccept() is { } notAcceptable)
            {
                throw Refuse.Because(notAcceptable);
            }

            var started = order.Accept(time.GetUtcNow());
            activity.Record($"Order #{order.Id} accepted", order.ClientId);
            activation.Started(started, order.ClientId);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
