using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Features.Identity;
using Portal.Features.Membership;

namespace Portal.Features.Billing;

/// <summary>Queues the billing e-mails with their amounts formatted the one way.</summary>
public sealed class BillingMailer(Outbox outbox, Money money)
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
}
