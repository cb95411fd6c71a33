using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Features.Membership;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

/// <summary>
/// An admin records a payment received for an invoice (a bank transfer, say). A partial payment leaves it Unpaid with
/// the balance shown; the payment that clears it marks it Paid, accepts a Pending order and starts its services when
/// the order's rule allows. The account's owner and the user who placed the order get a receipt, the latter only while
/// they may still see the account's invoices.
/// </summary>
public static class RecordPayment
{
    public sealed class Command : ICommand
    {
        [BindNever]
        public int InvoiceId { get; set; }

        public decimal Amount { get; init; }
        public DateOnly? Date { get; init; }
        public string? Method { get; init; } = "Bank transfer";
        public string? Reference { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Amount).Amount("Amount", allowZero: false);
            RuleFor(x => x.Date).NotNull().WithMessage("Date is required.")
                .Must(d => d is null || (d.Value.Year >= 2000 && d.Value.Year <= 2100)).WithMessage("Enter a date between 2000 and 2100.");
            RuleFor(x => x.Method).RequiredText("Method", BillingLengths.PaymentMethod);
            RuleFor(x => x.Reference).OptionalText("Reference", BillingLengths.Reference);
        }
    }

    /// <summary>
    /// The logins of the services this payment may start are prepared before the write unit opens (Data Protection); the
    /// unit locks the invoice's account, so that two payments (or a payment and a decision on the order) take turns.
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, ActivityWriter activity, BillingMailer mails, Activation activation, Money money, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            await activation.PrepareAsync(db.Services.Where(s => db.Invoices.Any(i => i.Id == command.InvoiceId && i.OrderId == s.OrderId)), cancellationToken);
            await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => RecordAsync(command, ct), cancellationToken);
            return Unit.Value;
        }

        private async Task RecordAsync(Command command, CancellationToken cancellationToken)
        {
            var clientId = await db.Invoices.Where(i => i.Id == command.InvoiceId).Select(i => (int?)i.ClientId).SingleOrDefaultAsync(cancellationToken)
                ?? throw Refuse.NotFound("Invoice");
            await db.LockAsync<Client>(clientId, cancellationToken);
            var invoice = await db.Invoices.Include(i => i.Payments)
                .Include(i => i.Order!).ThenInclude(o => o.Services)
                .SingleOrDefaultAsync(i => i.Id == command.InvoiceId, cancellationToken)
                ?? throw Refuse.NotFound("Invoice");
            if (invoice.CannotRecordPayment(command.Amount) is { } refusal)
            {
                throw Refuse.Because(nameof(Command.Amount), refusal);
            }

            var now = time.GetUtcNow();
            var date = new DateTimeOffset(command.Date!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var paidInFull = invoice.RecordPayment(command.Amount, date, command.Method!.Trim(), command.Reference?.Trim() ?? "", activity.CurrentActor.AdminId, now);
            var client = await db.Clients.SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);
            activity.Record(
                $"Payment of {money.Format(command.Amount)} recorded on invoice #{invoice.Number} for {client.DisplayName} (#{client.Id}) by {command.Method!.Trim()}" +
                (string.IsNullOrWhiteSpace(command.Reference) ? "" : $", reference {command.Reference.Trim()}") +
                (paidInFull ? "; the invoice is paid" : $"; balance {money.Format(invoice.Balance)}"),
                client.Id);
            if (paidInFull && invoice.Order is { } order)
            {
                var wasPending = order.Status == OrderStatus.Pending;
                var started = order.InvoicePaid(now);
                if (wasPending && order.Status == OrderStatus.Accepted)
                {
                    activity.Record($"Order #{order.Id} accepted on payment of invoice #{invoice.Number}", client.Id);
                }

                activation.Started(started, client.Id);
            }

            var payment = invoice.Payments[^1];
            var told = await PermissionHolders.AmongAsync(
                db, client.Id, Permission.Invoices, invoice.Order is { } o ? [client.OwnerUserId, o.UserId] : [client.OwnerUserId], cancellationToken);
            mails.PaymentReceived(invoice, payment, client.DisplayName, told);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
