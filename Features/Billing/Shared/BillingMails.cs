using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Billing;

/// <summary>The confirmation of an order, to the user who placed it. Amounts arrive formatted with the currency.</summary>
public sealed record OrderPlacedMail(
    string FirstName, string Email, int OrderId, string ClientName, IReadOnlyList<string> Items, int InvoiceNumber, string Total, DateTimeOffset DueAt,
    string InvoiceLink, bool WaitsForVerification, bool NothingToPay = false) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Order #{OrderId} confirmation",
        $"Hello {FirstName},",
        [$"Thank you for your order #{OrderId} for {ClientName}.", string.Join("\n", Items),
            NothingToPay
                ? $"Invoice #{InvoiceNumber} is for {Total}: there is nothing to pay, and it is marked paid."
                : $"Invoice #{InvoiceNumber} of {Total} is due on {brand.Dates.Date(DueAt)}. Pay it by bank transfer with INV-{InvoiceNumber} as the reference."],
        new MailAction("View the invoice", InvoiceLink),
        WaitsForVerification ? [$"Before the order can go ahead, {brand.CompanyName} must verify your identity."] : [],
        $"You received this e-mail because {Email} placed an order for {ClientName} on the {brand.CompanyName} client portal.");
}

/// <summary>The receipt for a payment recorded on an invoice, to the account's owner and the user who placed the order.</summary>
public sealed record PaymentReceiptMail(
    string FirstName, string Email, string ClientName, int InvoiceNumber, string Amount, DateTimeOffset Date, string Method, bool PaidInFull, string Balance,
    string InvoiceLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Payment receipt for invoice #{InvoiceNumber}",
        $"Hello {FirstName},",
        [$"We received a payment of {Amount} for invoice #{InvoiceNumber} of {ClientName} on {brand.Dates.Date(Date)} ({Method}).",
            PaidInFull ? "The invoice is now paid in full." : $"The balance still due is {Balance}."],
        new MailAction("View the invoice", InvoiceLink),
        [],
        $"You received this e-mail because {Email} owns {ClientName} or placed the order this invoice is for.");
}

/// <summary>
/// A new invoice to pay, to the account's owner and the contacts receiving invoices (<see cref="InvoiceRecipients"/>).
/// A contact never logs in, so their mail has no link.
/// </summary>
public sealed record InvoiceCreatedMail(
    string? Name, string Email, string ClientName, int InvoiceNumber, string Total, DateTimeOffset DueAt, string? InvoiceLink, string? Seller = null)
    : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Invoice #{InvoiceNumber} for {ClientName}",
        BillingMailText.Greeting(Name),
        [$"{(string.IsNullOrWhiteSpace(Seller) ? brand.CompanyName : Seller)} issued invoice #{InvoiceNumber} of {Total} to {ClientName}. It is due on {brand.Dates.Date(DueAt)}.",
            BillingMailText.HowToPay(InvoiceNumber)],
        InvoiceLink is null ? null : new MailAction("View the invoice", InvoiceLink),
        [],
        BillingMailText.Reason(Email, ClientName, brand));
}

/// <summary>The reminder that an unpaid invoice falls due soon, sent once per invoice by <see cref="SendPaymentReminders"/>.</summary>
public sealed record PaymentReminderMail(string? Name, string Email, string ClientName, int InvoiceNumber, string Balance, DateTimeOffset DueAt, string? InvoiceLink)
    : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Reminder: invoice #{InvoiceNumber} is due on {brand.Dates.Date(DueAt)}",
        BillingMailText.Greeting(Name),
        [$"Invoice #{InvoiceNumber} of {ClientName} is due on {brand.Dates.Date(DueAt)}, and {Balance} is still to pay.",
            BillingMailText.HowToPay(InvoiceNumber),
            "If you have paid it already, thank you: please ignore this reminder."],
        InvoiceLink is null ? null : new MailAction("View the invoice", InvoiceLink),
        [],
        BillingMailText.Reason(Email, ClientName, brand));
}

/// <summary>The notice that an invoice is past its due date and unpaid, sent once per invoice by <see cref="SendPaymentReminders"/>.</summary>
public sealed record OverdueNoticeMail(string? Name, string Email, string ClientName, int InvoiceNumber, string Balance, DateTimeOffset DueAt, string? InvoiceLink)
    : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Invoice #{InvoiceNumber} is overdue",
        BillingMailText.Greeting(Name),
        [$"Invoice #{InvoiceNumber} of {ClientName} was due on {brand.Dates.Date(DueAt)} and {Balance} is still unpaid.",
            BillingMailText.HowToPay(InvoiceNumber),
            "If you have paid it already, thank you: please ignore this notice."],
        InvoiceLink is null ? null : new MailAction("View the invoice", InvoiceLink),
        [],
        BillingMailText.Reason(Email, ClientName, brand));
}

internal static class BillingMailText
{
    public static string Greeting(string? name) => string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name},";

    public static string HowToPay(int invoiceNumber) => $"Pay it by bank transfer with INV-{invoiceNumber} as the reference.";

    public static string Reason(string email, string clientName, MailBrand brand) =>
        $"You received this e-mail because {email} receives the invoices of {clientName} on the {brand.CompanyName} client portal.";
}
