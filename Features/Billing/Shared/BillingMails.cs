using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;

namespace Portal.Features.Billing.Shared;

/// <summary>The billing e-mails: the order confirmation to the user who placed it, the payment receipt.</summary>
public sealed class BillingMails(Outbox outbox, Money money)
{
    public void OrderPlaced(Order order, User user, string clientName)
    {
        var invoice = order.Invoice!;
        var items = string.Join("\n", order.Items.Select(i => $"{i.Quantity} x {i.Name} ({i.Cycle.Label()}): {money.Format(i.Amount)}"));
        var text =
            $"Hello {user.FirstName},\n\n" +
            $"Thank you for your order #{order.Id} for {clientName}.\n\n{items}\n\n" +
            $"Invoice #{invoice.Number} of {money.Format(invoice.Total)} is due on {invoice.DueAt:yyyy-MM-dd}: {outbox.Link($"/invoices/{invoice.Id}")}" +
            (order.WaitsForVerification ? "\n\nBefore the order can go ahead, your identity must be verified by the provider." : "");
        outbox.Queue(user.Email!, $"Order #{order.Id} confirmation", text, order.ClientId, user.Id);
    }

    public void PaymentReceived(Invoice invoice, Payment payment, string clientName, IEnumerable<(string Email, string FirstName, int UserId)> recipients)
    {
        foreach (var (email, firstName, userId) in recipients)
        {
            var text =
                $"Hello {firstName},\n\n" +
                $"We received a payment of {money.Format(payment.Amount)} for invoice #{invoice.Number} of {clientName} on {payment.Date:yyyy-MM-dd} ({payment.Method}).\n\n" +
                (invoice.Status == InvoiceStatus.Paid ? "The invoice is now paid in full." : $"The balance still due is {money.Format(invoice.Balance)}.") +
                $"\n\n{outbox.Link($"/invoices/{invoice.Id}")}";
            outbox.Queue(email, $"Payment receipt for invoice #{invoice.Number}", text, invoice.ClientId, userId);
        }
    }
}
