using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Features.Settings;
using Microsoft.Extensions.Options;

namespace Portal.Features.Billing;

/// <summary>Queues the billing e-mails with their amounts formatted the one way.</summary>
public sealed class BillingMailer(Outbox outbox, Money money, SystemSettings settings, IOptions<PortalOptions> portal)
{
    public void OrderPlaced(Order order, User user, string clientName)
    {
        var invoice = order.Invoice!;
        var items = order.Items.Select(i => $"{i.Quantity} x {i.Name} ({i.Cycle.Label()}): {money.Format(i.Amount)}").ToList();
        outbox.Queue(
            user.Email!,
            new OrderPlacedMail(user.FirstName, user.Email!, order.Id, clientName, items, invoice.Number, money.Format(invoice.Total), invoice.DueAt,
                outbox.Link($"/invoices/{invoice.Id}"), order.WaitsForVerification, invoice.Status == InvoiceStatus.Paid),
            order.ClientId,
            user.Id);
    }

    /// <summary>Asks the user an order waits for to verify their identity, on the portal's verification page.</summary>
    public void VerificationRequested(Order order, User user, string clientName) =>
        outbox.Queue(user.Email!, new IdentityVerificationRequestedMail(user.FirstName, user.Email!, order.Id, clientName, outbox.Link(DocumentUpload.VerificationPath)), userId: user.Id);

    /// <summary>The receipt, to each of <paramref name="recipients"/>: people who may see the account's invoices now.</summary>
    public void PaymentReceived(Invoice invoice, Payment payment, string clientName, IEnumerable<PermissionHolders.Holder> recipients)
    {
        foreach (var user in recipients.DistinctBy(u => u.UserId))
        {
            outbox.Queue(
                user.Email,
                new PaymentReceiptMail(user.FirstName, user.Email, clientName, invoice.Number, money.Format(payment.Amount), payment.Date, payment.Method,
                    invoice.Status == InvoiceStatus.Paid, money.Format(invoice.Balance), outbox.Link($"/invoices/{invoice.Id}")),
                invoice.ClientId,
                user.UserId);
        }
    }

    /// <summary>The new invoice, to each of <paramref name="recipients"/>; an invoice already paid (a free order) asks nobody to pay.</summary>
    public void InvoiceCreated(Invoice invoice, string clientName, IEnumerable<InvoiceRecipients.Recipient> recipients)
    {
        if (!Invoice.AwaitsPayment(invoice.Status))
        {
            return;
        }

        var seller = Seller.From(settings.Get(), portal.Value).Name;
        foreach (var r in recipients)
        {
            outbox.Queue(r.Email, new InvoiceCreatedMail(r.FirstName, r.Email, clientName, invoice.Number, money.Format(invoice.Total), invoice.DueAt, LinkFor(invoice.Id, r), seller),
                invoice.ClientId, r.UserId);
        }
    }

    public void PaymentReminder(InvoiceDue invoice, IEnumerable<InvoiceRecipients.Recipient> recipients)
    {
        foreach (var r in recipients)
        {
            outbox.Queue(r.Email, new PaymentReminderMail(r.FirstName, r.Email, invoice.ClientName, invoice.Number, money.Format(invoice.Balance), invoice.DueAt, LinkFor(invoice.Id, r)),
                invoice.ClientId, r.UserId);
        }
    }

    public void OverdueNotice(InvoiceDue invoice, IEnumerable<InvoiceRecipients.Recipient> recipients)
    {
        foreach (var r in recipients)
        {
            outbox.Queue(r.Email, new OverdueNoticeMail(r.FirstName, r.Email, invoice.ClientName, invoice.Number, money.Format(invoice.Balance), invoice.DueAt, LinkFor(invoice.Id, r)),
                invoice.ClientId, r.UserId);
        }
    }

    /// <summary>What a reminder or a notice says of its invoice.</summary>
    public sealed record InvoiceDue(int Id, int Number, int ClientId, string ClientName, decimal Balance, DateTimeOffset DueAt);

    private string? LinkFor(int invoiceId, InvoiceRecipients.Recipient recipient) => recipient.UserId is null ? null : outbox.Link($"/invoices/{invoiceId}");
}
