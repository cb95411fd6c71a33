namespace Portal.Features.Billing;

public enum InvoiceStatus
{
    Unpaid,
    Paid,
    Cancelled,
    Refunded,
}

/// <summary>
/// A bill to a client account. Numbers are sequential without gaps: the next one is taken inside the write transaction
/// that creates the invoice (<see cref="NextNumber"/>), and a unique index refuses a duplicate.
/// </summary>
public sealed class Invoice
{
    public static readonly TimeSpan PaymentTerm = TimeSpan.FromDays(14);

    public int Id { get; private set; }
    public int Number { get; private set; }
    public int ClientId { get; private set; }
    public int? OrderId { get; private set; }
    public Order? Order { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public InvoiceStatus Status { get; private set; }
    public decimal Total { get; private set; }
    public decimal AmountPaid { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? RefundedAt { get; private set; }

    public List<InvoiceLine> Lines { get; } = [];
    public List<Payment> Payments { get; } = [];

    public decimal Balance => Total - AmountPaid;

    private Invoice()
    {
    }

    /// <summary>The number after the highest one issued so far; the first invoice is number 1.</summary>
    public static int NextNumber(int? highestSoFar) => (highestSoFar ?? 0) + 1;

    internal static Invoice ForOrder(int number, int clientId, Order order, DateTimeOffset now)
    {
        var invoice = new Invoice
        {
            Number = number,
            ClientId = clientId,
            Order = order,
            IssuedAt = now,
            DueAt = now + PaymentTerm,
            Status = InvoiceStatus.Unpaid,
        };
        foreach (var item in order.Items)
        {
            var description = item.SetupFee > 0 ? $"{item.Name} ({item.Cycle.Label()}, includes setup fee)" : $"{item.Name} ({item.Cycle.Label()})";
            invoice.Lines.Add(new InvoiceLine(description, item.Quantity, item.UnitPrice + item.SetupFee));
        }

        invoice.Total = invoice.Lines.Sum(l => l.Amount);

        // Nothing is due on a free order: waiting for a payment of 0.00 would keep its services from ever starting.
        if (invoice.Total == 0)
        {
            invoice.Status = InvoiceStatus.Paid;
            invoice.PaidAt = now;
        }

        return invoice;
    }

    /// <summary>Payments are recorded on an unpaid invoice only; pages offer the form by the same rule.</summary>
    public static bool TakesPayments(InvoiceStatus status) => status == InvoiceStatus.Unpaid;

    /// <summary>An invoice with money paid on it, paid in full or in part, can be refunded; pages offer Refund by the same rule.</summary>
    public static bool IsRefundable(InvoiceStatus status, decimal amountPaid) =>
        amountPaid > 0 && status is InvoiceStatus.Paid or InvoiceStatus.Unpaid;

    public string? CannotRecordPayment(decimal amount) =>
        !TakesPayments(Status) ? $"Payments can only be recorded on an unpaid invoice; this one is {Status.ToString().ToLowerInvariant()}."
        : amount <= 0 ? "The amount must be more than zero."
        : amount > Balance ? "The amount is more than the balance due."
        : null;

    /// <summary>
    /// Records a payment. A partial payment leaves the invoice Unpaid with a smaller balance; the payment that clears
    /// the balance marks it Paid. Returns whether this payment paid the invoice in full.
    /// </summary>
    public bool RecordPayment(decimal amount, DateTimeOffset date, string method, string reference, int? recordedByAdminId, DateTimeOffset now)
    {
        if (CannotRecordPayment(amount) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        Payments.Add(new Payment(this, amount, date, method, reference, recordedByAdminId, now));
        AmountPaid += amount;
        if (Balance > 0)
        {
            return false;
        }

        Status = InvoiceStatus.Paid;
        PaidAt = now;
        return true;
    }

    public string? CannotRefund() => IsRefundable(Status, AmountPaid)
        ? null
        : "Only an invoice with payments can be refunded.";

    /// <summary>Refunds what was paid; the invoice is Refunded.</summary>
    public void Refund(DateTimeOffset now)
    {
        if (CannotRefund() is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        Status = InvoiceStatus.Refunded;
        RefundedAt = now;
    }

    internal void Cancel()
    {
        if (Status == InvoiceStatus.Unpaid && AmountPaid == 0)
        {
            Status = InvoiceStatus.Cancelled;
        }
    }
}

public sealed class InvoiceLine
{
    public int Id { get; private set; }
    public int InvoiceId { get; private set; }
    public string Description { get; private set; } = "";
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
    public decimal Amount { get; private set; }

    private InvoiceLine()
    {
    }

    internal InvoiceLine(string description, int quantity, decimal unitPrice)
    {
        Description = description;
        Quantity = quantity;
        UnitPrice = unitPrice;
        Amount = quantity * unitPrice;
    }
}

/// <summary>A payment received against an invoice (a "transaction"): a bank transfer the provider recorded, for instance.</summary>
public sealed class Payment
{
    public int Id { get; private set; }
    public int InvoiceId { get; private set; }
    public Invoice Invoice { get; private set; } = null!;
    public decimal Amount { get; private set; }
    public DateTimeOffset Date { get; private set; }
    public string Method { get; private set; } = "";
    public string Reference { get; private set; } = "";
    public int? RecordedByAdminId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    private Payment()
    {
    }

    internal Payment(Invoice invoice, decimal amount, DateTimeOffset date, string method, string reference, int? recordedByAdminId, DateTimeOffset now)
    {
        Invoice = invoice;
        Amount = amount;
        Date = date;
        Method = method;
        Reference = reference;
        RecordedByAdminId = recordedByAdminId;
        RecordedAt = now;
    }
}
