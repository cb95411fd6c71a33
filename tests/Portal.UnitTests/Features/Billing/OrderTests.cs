using static Portal.UnitTests.Features.Billing.BillingExamples;
using Portal.Features.Billing;

namespace Portal.UnitTests.Features.Billing;

public sealed class OrderTests
{
    [Fact]
    public void Placing_an_order_copies_the_catalogue_into_items_an_unpaid_invoice_and_one_pending_service_per_unit()
    {
        var user = User();
        var order = Order(user, false, (Hosting(price: 10m, setupFee: 5m), 2), (Hosting(price: 100m, setupFee: 0m, cycle: BillingCycle.Annually), 1));

        Assert.Equal(user.Id, order.UserId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal([30m, 100m], order.Items.Select(i => i.Amount));
        var invoice = order.Invoice!;
        Assert.Equal(41, invoice.Number);
        Assert.Equal(InvoiceStatus.Unpaid, invoice.Status);
        Assert.Equal(130m, invoice.Total);
        Assert.Equal(130m, invoice.Balance);
        Assert.Equal(Now + Invoice.PaymentTerm, invoice.DueAt);
        // The setup fee is its own line after its product's.
        Assert.Equal([(2, 10m, 20m), (2, 5m, 10m), (1, 100m, 100m)], invoice.Lines.Select(l => (l.Quantity, l.UnitPrice, l.Amount)));
        Assert.Equal(3, order.Services.Count);
        Assert.All(order.Services, s => Assert.Equal(ServiceStatus.Pending, s.Status));
    }

    [Fact]
    public void A_free_order_has_its_invoice_paid_as_it_is_issued_and_its_services_start_as_for_any_paid_invoice()
    {
        var order = Order(null, false, (Hosting(price: 0m, setupFee: 0m), 2));

        Assert.Equal((InvoiceStatus.Paid, 0m, Now), (order.Invoice!.Status, order.Invoice.Balance, order.Invoice.PaidAt));
        var started = order.InvoicePaid(Now);

        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.Equal(2, started.Count);
        Assert.All(order.Services, s => Assert.Equal(ServiceStatus.Active, s.Status));
    }

    [Fact]
    public void A_free_order_waiting_for_verification_starts_nothing_until_its_user_is_verified()
    {
        var order = Order(null, true, (Hosting(price: 0m, setupFee: 0m), 1));

        Assert.Equal(InvoiceStatus.Paid, order.Invoice!.Status);
        Assert.Empty(order.InvoicePaid(Now));
        Assert.Equal(OrderStatus.PendingVerification, order.Status);
    }

    [Fact]
    public void Later_catalogue_changes_do_not_change_a_placed_order()
    {
        var product = Hosting(price: 10m, setupFee: 0m);
        var order = Order(null, false, (product, 1));

        product.Update(new ProductDetails("Renamed", "", 99m, 9m, BillingCycle.Annually, false));

        Assert.Equal(("Web Hosting", 10m, BillingCycle.Monthly), (order.Items[0].Name, order.Items[0].UnitPrice, order.Items[0].Cycle));
        Assert.Equal(10m, order.Invoice!.Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Portal.Features.Billing.Order.MaxQuantity + 1)]
    public void Quantities_outside_one_to_the_maximum_are_refused(int quantity) =>
        Assert.Throws<InvalidOperationException>(() => Order(null, false, (Hosting(), quantity)));

    [Fact]
    public void Hidden_products_cannot_be_ordered() =>
        Assert.Throws<InvalidOperationException>(() => Order(null, false, (Hosting(hidden: true), 1)));

    [Fact]
    public void A_full_payment_accepts_a_pending_order_and_starts_its_services_with_the_next_due_date_of_their_cycle()
    {
        var order = Order();
        var paidAt = Now.AddDays(2);

        order.Invoice!.RecordPayment(order.Invoice.Total, paidAt, "Bank transfer", "INV-41", 1, paidAt);
        var started = order.InvoicePaid(paidAt);

        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.Single(started);
        Assert.All(order.Services, s => Assert.Equal((ServiceStatus.Active, paidAt.AddMonths(1)), (s.Status, s.NextDueAt)));
    }

    [Fact]
    public void Accepting_before_payment_starts_nothing_and_the_later_payment_starts_the_services()
    {
        var order = Order();

        Assert.Empty(order.Accept(Now));
        Assert.Equal(ServiceStatus.Pending, order.Services.Single().Status);

        order.Invoice!.RecordPayment(order.Invoice.Total, Now, "Bank transfer", "", 1, Now);
        Assert.Single(order.InvoicePaid(Now));
        Assert.Equal(ServiceStatus.Active, order.Services.Single().Status);
    }

    [Fact]
    public void A_one_time_service_is_never_due_again()
    {
        var order = Order(null, false, (Hosting(cycle: BillingCycle.OneTime), 1));
        order.Invoice!.RecordPayment(order.Invoice.Total, Now, "Bank transfer", "", 1, Now);
        order.InvoicePaid(Now);

        Assert.Null(order.Services.Single().NextDueAt);
    }

    [Fact]
    public void With_verification_required_an_unverified_users_order_waits_and_its_paid_services_do_not_start()
    {
        var order = Order(User(), verificationRequired: true);

        Assert.Equal(OrderStatus.PendingVerification, order.Status);
        Assert.NotNull(order.CannotAccept());
        order.Invoice!.RecordPayment(order.Invoice.Total, Now, "Bank transfer", "", 1, Now);

        Assert.Empty(order.InvoicePaid(Now));
        Assert.Equal(ServiceStatus.Pending, order.Services.Single().Status);
        Assert.Throws<InvalidOperationException>(() => order.Accept(Now));
    }

    [Fact]
    public void Once_its_user_is_verified_the_waiting_order_can_be_accepted_and_its_paid_services_start()
    {
        var user = User();
        var order = Order(user, verificationRequired: true);
        order.Invoice!.RecordPayment(order.Invoice.Total, Now, "Bank transfer", "", 1, Now);
        order.InvoicePaid(Now);

        user.MarkIdentityVerified(adminId: 1, Now);
        Assert.True(order.UserVerified(Now));
        var started = order.Accept(Now);

        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.Single(started);
    }

    [Fact]
    public void A_verified_user_does_not_wait_on_later_orders()
    {
        var user = User();
        user.MarkIdentityVerified(adminId: 1, Now);

        Assert.Equal(OrderStatus.Pending, Order(user, verificationRequired: true).Status);
    }

    [Fact]
    public void Without_the_requirement_an_unverified_user_does_not_wait()
    {
        Assert.Equal(OrderStatus.Pending, Order(User(), verificationRequired: false).Status);
    }

    [Fact]
    public void Cancelling_cancels_the_services_and_the_unpaid_invoice_and_cannot_happen_twice()
    {
        var order = Order();

        order.Cancel(Now);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(InvoiceStatus.Cancelled, order.Invoice!.Status);
        Assert.All(order.Services, s => Assert.Equal(ServiceStatus.Cancelled, s.Status));
        Assert.NotNull(order.CannotCancel());
        Assert.Throws<InvalidOperationException>(() => order.Cancel(Now, fraud: true));
    }

    [Fact]
    public void Suspending_for_a_refund_stops_running_and_waiting_services_and_leaves_cancelled_ones()
    {
        var order = Order(null, false, (Hosting(), 3));
        order.Invoice!.RecordPayment(order.Invoice.Total, Now, "Bank transfer", "", 1, Now);
        order.InvoicePaid(Now);
        order.Services[2].Cancel(Now);

        var suspended = order.SuspendServices();

        Assert.Equal(2, suspended.Count);
        Assert.Equal([ServiceStatus.Suspended, ServiceStatus.Suspended, ServiceStatus.Cancelled], order.Services.Select(s => s.Status));
    }

    [Fact]
    public void Cancelling_keeps_the_reason_given()
    {
        var order = Order();

        order.Cancel(Now, fraud: true, reason: "Stolen card");

        Assert.Equal((OrderStatus.Fraud, "Stolen card"), (order.Status, order.StatusReason));
    }

    [Fact]
    public void Marking_fraud_keeps_a_partly_paid_invoice_for_the_refund()
    {
        var order = Order();
        order.Invoice!.RecordPayment(1m, Now, "Bank transfer", "", 1, Now);

        order.Cancel(Now, fraud: true);

        Assert.Equal(OrderStatus.Fraud, order.Status);
        Assert.Equal(InvoiceStatus.Unpaid, order.Invoice.Status);
        Assert.Null(order.Invoice.CannotRefund());
    }
}
