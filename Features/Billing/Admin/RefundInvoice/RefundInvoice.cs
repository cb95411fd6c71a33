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
/// An admin refunds money paid on an invoice, after a confirmation page that says what the refund does: an amount (at
/// most what was paid and not yet refunded) and a reason. What is still due stays due unless the admin cancels the
/// balance too; the services of the invoice's order are suspended unless the admin keeps them as they are.
/// </summary>
public static class RefundInvoice
{
    public sealed record Query(int InvoiceId) : IQuery<Preview?>;

    public sealed record ServiceRow(int Id, string Name, ServiceStatus Status);

    public sealed record Preview(
        int InvoiceId, int Number, int ClientId, string ClientName, InvoiceStatus Status, decimal Total, decimal AmountPaid, decimal AmountRefunded,
        int? OrderId, IReadOnlyList<ServiceRow> Services)
    {
        public decimal Refundable => AmountPaid - AmountRefunded;

        public decimal Balance => Total - AmountPaid;

        public bool MayCancelBalance => Invoice.MayCancelBalance(Status, Balance);

        /// <summary>The services a refund would suspend: those running or yet to start.</summary>
        public IEnumerable<ServiceRow> Suspendable => Services.Where(s => Service.MaySuspend(s.Status));
    }

    public sealed class Command : ICommand, ITransactional, IConfirmed
    {
        [BindNever]
        public int InvoiceId { get; set; }

        public decimal Amount { get; init; }
        public string? Reason { get; init; }

        /// <summary>Also cancel what is still due, so the invoice closes.</summary>
        public bool CancelBalance { get; init; }

        /// <summary>Suspend the services of the invoice's order.</summary>
        public bool SuspendServices { get; init; } = true;

        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Amount).Amount("Amount", allowZero: false);
            RuleFor(x => x.Reason).RequiredText("Reason", BillingLengths.Reason);
            this.RequireConfirmation("Tick the box to confirm the refund.");
        }
    }

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Preview?>
    {
        public async ValueTask<Preview?> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.Invoices.AsNoTracking().Where(i => i.Id == query.InvoiceId)
                .Select(i => new
                {
                    i.Id, i.Number, i.ClientId, i.Status, i.Total, i.AmountPaid, i.AmountRefunded, i.OrderId,
                    Services = db.Services.Where(s => s.OrderId == i.OrderId).OrderBy(s => s.Id).Select(s => new ServiceRow(s.Id, s.Name, s.Status)).ToList(),
                    Client = db.Clients.Where(c => c.Id == i.ClientId).Select(c => new { c.FirstName, c.LastName, c.CompanyName }).Single(),
                })
                .SingleOrDefaultAsync(cancellationToken);
            return row is null
                ? null
                : new Preview(row.Id, row.Number, row.ClientId, Client.DisplayNameOf(row.Client.FirstName, row.Client.LastName, row.Client.CompanyName), row.Status,
                    row.Total, row.AmountPaid, row.AmountRefunded, row.OrderId, row.Services);
        }
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, Money money, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            // The invoice's account is locked first, so that a refund and a payment of the same invoice take turns.
            var clientId = await db.Invoices.Where(i => i.Id == command.InvoiceId).Select(i => (int?)i.ClientId).SingleOrDefaultAsync(cancellationToken)
                ?? throw Refuse.NotFound("Invoice");
            await db.LockAsync<Client>(clientId, cancellationToken);
            var invoice = await db.Invoices.Include(i => i.Order!).ThenInclude(o => o.Services)
                .SingleOrDefaultAsync(i => i.Id == command.InvoiceId, cancellationToken)
                ?? throw Refuse.NotFound("Invoice");
            if (invoice.CannotRefund(command.Amount, command.CancelBalance) is { } refusal)
            {
                throw Refuse.Because(nameof(Command.Amount), refusal);
            }

            var reason = command.Reason!.Trim();
            var balance = invoice.Balance;
            invoice.Refund(command.Amount, reason, command.CancelBalance, activity.CurrentActor.AdminId, time.GetUtcNow());
            var suspended = command.SuspendServices && invoice.Order is { } order ? order.SuspendServices() : [];
            activity.Record(
                $"Invoice #{invoice.Number} refunded ({money.Format(command.Amount)}): {reason}"
                + (command.CancelBalance ? $"; its balance of {money.Format(balance)} cancelled" : invoice.Status == InvoiceStatus.Unpaid ? $"; {money.Format(balance)} still due" : "")
                + $"; the invoice is {invoice.Status.ToString().ToLowerInvariant()}"
                + (suspended.Count > 0 ? $"; suspended: {string.Join(", ", suspended.Select(s => $"{s.Name} (#{s.Id})"))}" : ""),
                invoice.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
