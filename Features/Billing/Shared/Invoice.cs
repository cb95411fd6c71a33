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

    /// <summary>What was given back of <see cref="AmountPaid"/>; never more than it.</summary>
    public decimal AmountRefunded { get; private set; }

    /// <summary>When the payment reminder went out; set by a conditional update, so it goes out once.</summary>
    public DateTimeOffset? ReminderSentAt { get; private set; }

    /// <summary>When the overdue notice went out; set by a conditional update, so it goes out once.</summary>
    public DateTimeOffset? OverdueNoticeSentAt { get; private set; }

    public List<InvoiceLine> Lines { get; } = [];
    public List<Payment> Payments { get; } = [];
    public List<Refund> Refunds { get; } = [];

    public decimal Balance => Total - AmountPaid;

    /// <summary>What was paid and not given back yet: the most a refund may return.</summary>
    public decimal Refundable => AmountPaid - AmountRefunded;

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
        // The setup fee is its own line, under the product it starts, so the client sees what recurs and what is charged once.
        foreach (var item in order.Items)
        {
            invoice.Lines.Add(new InvoiceLine($"{item.Name} ({item.Cycle.Label()})", item.Quantity, item.UnitPrice));
            if (item.SetupFee > 0)
            {
                invoice.Lines.Add(new InvoiceLine(SetupFeeLine(item.Name), item.Quantity, item.SetupFee));
            }
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

    /// <summary>How an invoice's setup-fee line reads.</summary>
    public static string SetupFeeLine(string productName) => $"Setup fee: {productName}";

    /// <summary>
    /// How a status reads to people, on the invoice's stamp and in lists: an unpaid invoice with something paid on it
    /// is "Partially paid".
    /// </summary>
    public static string StatusLabel(InvoiceStatus status, decimal amountPaid) => status switch
    {
        InvoiceStatus.Unpaid when amountPaid > 0 => "Partially paid",
        _ => status.ToString(),
    };

    /// <summary>Whether a "please pay" mail (reminder or overdue notice) may go out for an invoice in <paramref name="status"/>.</summary>
    public static bool AwaitsPayment(InvoiceStatus status) => status == InvoiceStatus.Unpaid;

    /// <summary>The moment from which the reminder is due: <paramref name="daysBefore"/> days before the due date.</summary>
    public static DateTimeOffset ReminderFrom(DateTimeOffset dueAt, int daysBefore) => dueAt - TimeSpan.FromDays(daysBefore);

    /// <summary>The moment from which the overdue notice is due: <paramref name="daysAfter"/> days after the due date.</summary>
    public static DateTimeOffset OverdueFrom(DateTimeOffset dueAt, int daysAfter) => dueAt + TimeSpan.FromDays(daysAfter);

    /// <summary>An invoice still unpaid after its due date (the admin's "Overdue only" filter and the admin menu's count).</summary>
    public static System.Linq.Expressions.Expression<Func<Invoice, bool>> OverdueAt(DateTimeOffset now) =>
        i => i.Status == InvoiceStatus.Unpaid && i.DueAt < now;

    /// <summary>Payments are recorded on an unpaid invoice only; pages offer the form by the same rule.</summary>
    public static bool TakesPayments(InvoiceStatus status) => status == InvoiceStatus.Unpaid;

    /// <summary>An invoice with money paid on it and not yet given back can be refunded, whatever its status; pages offer Refund by the same rule.</summary>
    public static bool IsRefundable(decimal amountPaid, decimal amountRefunded) => amountPaid - amountRefunded > 0;

    /// <summary>The balance still due can be cancelled with a refund only while the invoice is unpaid.</summary>
    public static bool MayCancelBalance(InvoiceStatus status, decimal balance) => status == InvoiceStatus.Unpaid && balance > 0;

    /// <summary>Cancelling its order cancels an invoice only while nothing was paid on it; otherwise it stays for its refund.</summary>
    public static bool CancelledWithOrder(InvoiceStatus status, decimal amountPaid) => status == InvoiceStatus.Unpaid && amountPaid == 0;

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

    public string? CannotRefund() => IsRefundable(AmountPaid, AmountRefunded)
        ? null
        : "Only an invoice with payments not yet refunded can be refunded.";

    public string? CannotRefund(decimal amount, bool cancelBalance) =>
        CannotRefund()
        ?? (amount <= 0 ? "The amount must be more than zero."
            : amount > Refundable ? "The amount is more than what was paid and not yet refunded."
            : cancelBalance && !MayCancelBalance(Status, Balance) ? "Nothing is due on this invoice: there is no balance to cancel."
            : null);

    /// <summary>
    /// Gives back <paramref name="amount"/> of what was paid, for <paramref name="reason"/>. What is still due stays due,
    /// unless <paramref name="cancelBalance"/>: then the invoice closes, Refunded when everything paid went back and
    /// Cancelled when some of it was kept. A paid invoice whose payments all went back is Refunded; one refunded in part
    /// stays Paid, with the refund recorded.
    /// </summary>
    public Refund Refund(decimal amount, string reason, bool cancelBalance, int? refundedByAdminId, DateTimeOffset now)
    {
        if (CannotRefund(amount, cancelBalance) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        var refund = new Refund(this, amount, reason, refundedByAdminId, now);
        Refunds.Add(refund);
        AmountRefunded += amount;
        RefundedAt = now;
        if (cancelBalance)
        {
            Status = Refundable == 0 ? InvoiceStatus.Refunded : InvoiceStatus.Cancelled;
        }
        else if (Status == InvoiceStatus.Paid && Refundable == 0)
        {
            Status = InvoiceStatus.Refunded;
        }

        return refund;
    }

    internal void Cancel()
    {
        if (CancelledWithOrder(Status, AmountPaid))
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

/// <summary>Money given back to the client from what was paid on an invoice, with why and by which admin.</summary>
public sealed class Refund
{
    public int Id { get; private set; }
    public int InvoiceId { get; private set; }
    public Invoice Invoice { get; private set; } = null!;
    public decimal Amount { get; private set; }
    public string Reason { get; private set; } = "";
    public int? RefundedByAdminId { get; private set; }
    public DateTimeOffset RefundedAt { get; private set; }

    private Refund()
    {
    }

    internal Refund(Invoice invoice, decimal amount, string reason, int? refundedByAdminId, DateTimeOffset now)
    {
        Invoice = invoice;
        Amount = amount;
        Reason = reason;
        RefundedByAdminId = refundedByAdminId;
        RefundedAt = now;
    }
}
