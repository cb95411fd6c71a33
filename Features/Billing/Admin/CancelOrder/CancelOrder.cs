using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>
/// An admin cancels an order or marks it as fraud, after a confirmation page that says what happens to its invoice and
/// services, with a reason that is kept on the order and in the log.
/// </summary>
public static class CancelOrder
{
    public sealed record Query(int OrderId) : IQuery<Preview?>;

    public sealed record ServiceRow(int Id, string Name, ServiceStatus Status);

    public sealed record Preview(
        int OrderId, int ClientId, string ClientName, OrderStatus Status, int? InvoiceId, int? InvoiceNumber, InvoiceStatus? InvoiceStatus,
        decimal InvoiceTotal, decimal AmountPaid, IReadOnlyList<ServiceRow> Services)
    {
        public bool MayCancel => Order.MayCancel(Status);

        /// <summary>The services cancelling ends: every one not cancelled already.</summary>
        public IEnumerable<ServiceRow> Ending => Services.Where(s => s.Status != ServiceStatus.Cancelled);

        /// <summary>Whether the invoice is cancelled with the order (nothing was paid on it), by the invoice's own rule.</summary>
        public bool InvoiceCancelled => InvoiceStatus is { } status && Invoice.CancelledWithOrder(status, AmountPaid);
    }

    public sealed class Command : ICommand, ITransactional, IConfirmed
    {
        [BindNever]
        public int OrderId { get; set; }

        public OrderDecision Decision { get; init; }
        public string? Reason { get; init; }
        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Decision).IsInEnum().WithMessage("Choose to cancel the order or to mark it as fraud.");
            RuleFor(x => x.Reason).RequiredText("Reason", BillingLengths.Reason);
            this.RequireConfirmation("Tick the box to confirm.");
        }
    }

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Preview?>
    {
        public async ValueTask<Preview?> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.Orders.AsNoTracking().Where(o => o.Id == query.OrderId)
                .Select(o => new
                {
                    o.Id, o.ClientId, o.Status,
                    InvoiceId = (int?)o.Invoice!.Id, InvoiceNumber = (int?)o.Invoice.Number, InvoiceStatus = (InvoiceStatus?)o.Invoice.Status,
                    Total = (decimal?)o.Invoice.Total, Paid = (decimal?)o.Invoice.AmountPaid,
                    Services = o.Services.OrderBy(s => s.Id).Select(s => new ServiceRow(s.Id, s.Name, s.Status)).ToList(),
                    Client = db.Clients.Where(c => c.Id == o.ClientId).Select(c => new { c.FirstName, c.LastName, c.CompanyName }).Single(),
                })
                .SingleOrDefaultAsync(cancellationToken);
            return row is null
                ? null
                : new Preview(row.Id, row.ClientId, Client.DisplayNameOf(row.Client.FirstName, row.Client.LastName, row.Client.CompanyName), row.Status,
                    row.InvoiceId, row.InvoiceNumber, row.InvoiceStatus, row.Total ?? 0, row.Paid ?? 0, row.Services);
        }
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            // The order's account is locked first, so that a cancellation and a payment or an acceptance take turns.
            var clientId = await db.Orders.Where(o => o.Id == command.OrderId).Select(o => (int?)o.ClientId).SingleOrDefaultAsync(cancellationToken)
                ?? throw Refuse.NotFound("Order");
            await db.LockAsync<Client>(clientId, cancellationToken);
            var order = await db.Orders.Include(o => o.Invoice).Include(o => o.Services)
                .SingleOrDefaultAsync(o => o.Id == command.OrderId, cancellationToken)
                ?? throw Refuse.NotFound("Order");
            if (order.CannotCancel() is { } refusal)
            {
                throw Refuse.Because(refusal);
            }

            var reason = command.Reason!.Trim();
            var fraud = command.Decision == OrderDecision.Fraud;
            order.Cancel(time.GetUtcNow(), fraud, reason);
            activity.Record(
                (fraud ? $"Order #{order.Id} marked as fraud" : $"Order #{order.Id} cancelled") + $": {reason}"
                + (order.Invoice is { } invoice ? $"; invoice #{invoice.Number} is {invoice.Status.ToString().ToLowerInvariant()}" : ""),
                order.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
