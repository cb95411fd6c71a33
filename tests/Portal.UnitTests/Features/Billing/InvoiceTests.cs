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

        invoice.Refund(Now.AddDays(3));

        Assert.Equal(InvoiceStatus.Refunded, invoice.Status);
        Assert.Equal(Now.AddDays(3), invoice.RefundedAt);
        Assert.NotNull(invoice.CannotRecordPayment(1m));
    }

    [Fact]
    public void An_invoice_with_nothing_paid_cannot_be_refunded()
    {
        var invoice = Unpaid();

        Assert.NotNull(invoice.CannotRefund());
        Assert.Throws<InvalidOperationException>(() => invoice.Refund(Now));
        Assert.Equal(InvoiceStatus.Unpaid, invoice.Status);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(1, 2)]
    [InlineData(41, 42)]
    public void Numbers_follow_the_highest_issued_without_gaps(int? highest, int next) =>
        Assert.Equal(next, Invoice.NextNumber(highest));
}
