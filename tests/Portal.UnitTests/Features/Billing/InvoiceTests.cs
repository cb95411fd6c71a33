using static Portal.UnitTests.Features.Billing.BillingExamples;
using Portal.Features.Billing;

namespace Portal.UnitTests.Features.Billing;

public sealed class InvoiceTests
{
    private static Invoice Unpaid(decimal price = 100m) => Order(null, false, (Hosting(price: price, setupFee: 0m), 1)).Invoice!;

    [Fact]
    public void A_partial_payment_leaves_the_invoice_unpaid_with_the_balance_reduced()
    {
        var invoice = Unpaid(100m);

        var paidInFull = invoice.RecordPayment(40m, Now, "Bank transfer", "REF-1", 1, Now);

        Assert.False(paidInFull);
        Assert.Equal(InvoiceStatus.Unpaid, invoice.Status);
        Assert.Equal(60m, invoice.Balance);
        Assert.Equal((40m, "Bank transfer", "REF-1", (int?)1), invoice.Payments.Select(p => (p.Amount, p.Method, p.Reference, p.RecordedByAdminId)).Single());
    }

    [Fact]
    public void The_payment_that_clears_the_balance_marks_the_invoice_paid()
    {
        var invoice = Unpaid(100m);
        invoice.RecordPayment(40m, Now, "Bank transfer", "", 1, Now);

        var paidInFull = invoice.RecordPayment(60m, Now.AddDays(1), "Bank transfer", "", 1, Now.AddDays(1));

        Assert.True(paidInFull);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal(0m, invoice.Balance);
        Assert.Equal(Now.AddDays(1), invoice.PaidAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100.01)]
    public void Zero_negative_and_more_than_the_balance_are_refused_and_change_nothing(decimal amount)
    {
        var invoice = Unpaid(100m);

        Assert.NotNull(invoice.CannotRecordPayment(amount));
        Assert.Throws<InvalidOperationException>(() => invoice.RecordPayment(amount, Now, "Bank transfer", "", 1, Now));
        Assert.Equal(100m, invoice.Balance);
        Assert.Empty(invoice.Payments);
    }

    [Fact]
    public void A_paid_invoice_takes_no_more_payments()
    {
        var invoice = Unpaid(100m);
        invoice.RecordPayment(100m, Now, "Bank transfer", "", 1, Now);

        Assert.NotNull(invoice.CannotRecordPayment(1m));
    }

    [Fact]
    public void Refunding_a_paid_invoice_marks_it_refunded()
    {
        var invoice = Unpaid(100m);
        invoice.RecordPayment(100m, Now, "Bank transfer", "", 1, Now);

        invoice.Refund(100m, "Returned", cancelBalance: false, 1, Now.AddDays(3));

        Assert.Equal(InvoiceStatus.Refunded, invoice.Status);
        Assert.Equal(Now.AddDays(3), invoice.RefundedAt);
        Assert.NotNull(invoice.CannotRecordPayment(1m));
    }

    [Fact]
    public void Refunding_a_partly_paid_invoice_gives_back_what_was_paid_and_keeps_the_rest_due()
    {
        var invoice = Unpaid(100m);
        invoice.RecordPayment(40m, Now, "Bank transfer", "", 1, Now);

        invoice.Refund(40m, "Paid twice by mistake", cancelBalance: false, 1, Now.AddDays(1));

        Assert.Equal(InvoiceStatus.Unpaid, invoice.Status);
        Assert.Equal((60m, 0m, 40m), (invoice.Balance, invoice.Refundable, invoice.AmountRefunded));
        Assert.Null(invoice.CannotRecordPayment(60m));
        Assert.Equal(("Paid twice by mistake", 40m), (invoice.Refunds.Single().Reason, invoice.Refunds.Single().Amount));
    }

    [Theory]
    [InlineData(40, InvoiceStatus.Refunded)]
    [InlineData(10, InvoiceStatus.Cancelled)]
    public void Cancelling_the_balance_with_a_refund_closes_the_invoice_refunded_or_cancelled_by_what_was_kept(double refunded, InvoiceStatus status)
    {
        var invoice = Unpaid(100m);
        invoice.RecordPayment(40m, Now, "Bank transfer", "", 1, Now);

        invoice.Refund((decimal)refunded, "Client left", cancelBalance: true, 1, Now);

        Assert.Equal(status, invoice.Status);
        Assert.False(Invoice.TakesPayments(invoice.Status));
    }

    [Fact]
    public void A_paid_invoice_refunded_in_part_stays_paid_until_the_rest_goes_back()
    {
        var invoice = Unpaid(100m);
        invoice.RecordPayment(100m, Now, "Bank transfer", "", 1, Now);

        invoice.Refund(30m, "Goodwill", cancelBalance: false, 1, Now);
        Assert.Equal((InvoiceStatus.Paid, 70m), (invoice.Status, invoice.Refundable));

        invoice.Refund(70m, "Contract ended", cancelBalance: false, 1, Now);
        Assert.Equal((InvoiceStatus.Refunded, 0m), (invoice.Status, invoice.Refundable));
        Assert.NotNull(invoice.CannotRefund());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(40.01, false)]
    [InlineData(10, true)]
    public void A_refund_of_nothing_of_more_than_was_paid_or_cancelling_a_balance_a_paid_invoice_does_not_have_is_refused(double amount, bool cancelBalance)
    {
        var invoice = Unpaid(40m);
        invoice.RecordPayment(40m, Now, "Bank transfer", "", 1, Now);

        Assert.NotNull(invoice.CannotRefund((decimal)amount, cancelBalance));
        Assert.Throws<InvalidOperationException>(() => invoice.Refund((decimal)amount, "No", cancelBalance, 1, Now));
        Assert.Equal((InvoiceStatus.Paid, 0m), (invoice.Status, invoice.AmountRefunded));
    }

    [Fact]
    public void An_invoice_with_nothing_paid_cannot_be_refunded()
    {
        var invoice = Unpaid();

        Assert.NotNull(invoice.CannotRefund());
        Assert.Throws<InvalidOperationException>(() => invoice.Refund(1m, "Returned", cancelBalance: false, 1, Now));
        Assert.Equal(InvoiceStatus.Unpaid, invoice.Status);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(1, 2)]
    [InlineData(41, 42)]
    public void Numbers_follow_the_highest_issued_without_gaps(int? highest, int next) =>
        Assert.Equal(next, Invoice.NextNumber(highest));

    [Fact]
    public void Each_setup_fee_is_a_line_of_its_own_after_its_product_and_a_product_without_one_has_none()
    {
        var order = Order(null, false, (Hosting(price: 10m, setupFee: 5m), 3), (Hosting(price: 7m, setupFee: 0m), 1));

        Assert.Equal(
            [("Web Hosting (Monthly)", 3, 10m, 30m), ("Setup fee: Web Hosting", 3, 5m, 15m), ("Web Hosting (Monthly)", 1, 7m, 7m)],
            order.Invoice!.Lines.Select(l => (l.Description, l.Quantity, l.UnitPrice, l.Amount)));
        Assert.Equal(52m, order.Invoice.Total);
    }

    [Fact]
    public void An_unpaid_invoice_with_a_payment_on_it_reads_Partially_paid_and_every_other_status_reads_as_itself()
    {
        var invoice = Unpaid(100m);
        Assert.Equal("Unpaid", Invoice.StatusLabel(invoice.Status, invoice.AmountPaid));

        invoice.RecordPayment(40m, Now, "Bank transfer", "", 1, Now);
        Assert.Equal("Partially paid", Invoice.StatusLabel(invoice.Status, invoice.AmountPaid));

        invoice.RecordPayment(60m, Now, "Bank transfer", "", 1, Now);
        Assert.Equal("Paid", Invoice.StatusLabel(invoice.Status, invoice.AmountPaid));
        Assert.Equal("Cancelled", Invoice.StatusLabel(InvoiceStatus.Cancelled, 10m));
        Assert.Equal("Refunded", Invoice.StatusLabel(InvoiceStatus.Refunded, 100m));
    }
}
