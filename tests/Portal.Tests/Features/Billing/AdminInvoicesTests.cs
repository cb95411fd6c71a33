using System.Net;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Billing;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class AdminInvoicesTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static RecordPayment.Command Pay(int invoiceId, decimal amount) =>
        new() { InvoiceId = invoiceId, Amount = amount, Date = new DateOnly(2026, 3, 1), Method = "Bank transfer", Reference = "TRX-1" };

    private static RefundInvoice.Command Refund(int invoiceId, decimal amount, bool cancelBalance = false, bool suspendServices = true) =>
        new() { InvoiceId = invoiceId, Amount = amount, Reason = "Returned by bank", CancelBalance = cancelBalance, SuspendServices = suspendServices, Confirm = true };

    [Fact]
    public async Task A_partial_payment_leaves_the_balance_and_the_full_payment_activates_the_services_and_mails_owner_and_orderer()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Payment Co");
        var member = await slice.CreateUserAsync();

        // The orderer hears of payments while they may see the account's invoices (MailRecipientTests: not after that).
        await slice.AssociateAsync(client.Id, member.Id, Permission.Orders, Permission.Invoices);
        var product = await slice.ProductAsync(price: 40m, setupFee: 10m);
        var order = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, member.Id, (product, 2)));
        var invoiceId = order.Invoice!.Id;

        await slice.SendAsync(Pay(invoiceId, 30m));
        var partly = await slice.OrderAsync(order.Id);
        Assert.Equal((InvoiceStatus.Unpaid, 70m), (partly.Invoice!.Status, partly.Invoice.Balance));
        Assert.All(partly.Services, s => Assert.Equal(ServiceStatus.Pending, s.Status));

        await slice.SendAsync(Pay(invoiceId, 70m));
        var paid = await slice.OrderAsync(order.Id);
        Assert.Equal(InvoiceStatus.Paid, paid.Invoice!.Status);
        Assert.Equal(OrderStatus.Accepted, paid.Status);
        Assert.Equal(2, paid.Invoice.Payments.Count);
        Assert.All(paid.Services, s =>
        {
            Assert.Equal(ServiceStatus.Active, s.Status);
            Assert.NotNull(s.NextDueAt);
            Assert.Equal($"svc{s.Id}", s.Username);
            Assert.NotNull(s.PasswordProtected);
        });
        var receipts = await slice.ExecuteDbContextAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id && m.Subject.StartsWith("Payment receipt")).Select(m => m.To).ToListAsync());
        Assert.Equal(2, receipts.Count(to => to == owner.Email));
        Assert.Equal(2, receipts.Count(to => to == member.Email));
        var log = await slice.ActivityForAsync(client.Id);
        Assert.Contains(log, d => d.StartsWith($"Payment of 30.00 USD recorded on invoice #{paid.Invoice.Number}") && d.EndsWith("balance 70.00 USD"));
        Assert.Contains($"Order #{order.Id} accepted on payment of invoice #{paid.Invoice.Number}", log);
        Assert.Equal(2, log.Count(d => d.StartsWith($"Service {product.Name} of order #{order.Id} activated")));
    }

    [Fact]
    public async Task More_than_the_balance_is_a_field_error_and_changes_nothing()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Overpay Co");
        var product = await slice.ProductAsync(price: 10m, setupFee: 0m);
        var invoiceId = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;

        var refused = await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(Pay(invoiceId, 10.01m)));

        Assert.Contains(refused.Errors, e => e.PropertyName == "Amount" && e.ErrorMessage == "The amount is more than the balance due.");
        Assert.Equal(0m, (await slice.FindAsync<Invoice>(invoiceId))!.AmountPaid);
    }

    [Fact]
    public async Task A_refund_marks_the_paid_invoice_refunded_and_an_unpaid_one_cannot_be_refunded()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Refund Co");
        var product = await slice.ProductAsync(price: 10m, setupFee: 0m);
        var invoiceId = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;

        await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(Refund(invoiceId, 10m)));
        await slice.SendAsync(Pay(invoiceId, 10m));
        await slice.SendAsync(Refund(invoiceId, 10m));

        Assert.Equal(InvoiceStatus.Refunded, (await slice.FindAsync<Invoice>(invoiceId))!.Status);
        Assert.Contains(await slice.ActivityForAsync(client.Id), d => d.StartsWith("Invoice #") && d.Contains("refunded (10.00 USD)"));
    }

    [Fact]
    public async Task The_admin_records_a_bank_transfer_from_the_invoice_page()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Admin Payment Page Co");
        var product = await slice.ProductAsync(price: 15m, setupFee: 0m);
        var invoice = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!;
        using var admin = await portal.CreateAdminBrowserAsync();

        var list = await admin.GetAsync($"/admin/invoices?client={client.Id}");
        Assert.NotNull(list.Document.QuerySelector($"[data-invoice-id='{invoice.Id}']"));
        var page = await admin.GetAsync($"/admin/invoices/{invoice.Id}");
        var response = await admin.SubmitAsync(page, new() { ["Input.Reference"] = "BANK-77" }, "form[data-record-payment]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await admin.FollowAsync(response);
        Assert.Equal("Paid", after.Document.QuerySelector("[data-invoice-status]")!.TextContent.Trim());
        var payment = await portal.WithDbAsync(db => db.Payments.SingleAsync(p => p.InvoiceId == invoice.Id));
        Assert.Equal((15m, "Bank transfer", "BANK-77"), (payment.Amount, payment.Method, payment.Reference));
        Assert.NotNull(payment.RecordedByAdminId);
    }

    [Fact]
    public async Task A_refund_is_no_longer_one_click_its_page_states_the_effect_and_it_takes_an_amount_a_reason_and_a_tick()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Refund Page Co");
        var product = await slice.ProductAsync(price: 50m, setupFee: 0m);
        var order = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2)));
        await slice.SendAsync(Pay(order.Invoice!.Id, 100m));
        using var admin = await portal.CreateAdminBrowserAsync();
        var invoicePage = await admin.GetAsync($"/admin/invoices/{order.Invoice.Id}");

        var oneClick = await admin.PostAsync($"/admin/invoices/{order.Invoice.Id}?handler=Refund",
            [new("__RequestVerificationToken", invoicePage.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!)]);
        Assert.NotEqual(HttpStatusCode.Redirect, oneClick.StatusCode);
        Assert.Equal(InvoiceStatus.Paid, (await slice.FindAsync<Invoice>(order.Invoice.Id))!.Status);

        var confirm = await admin.GetAsync(invoicePage.Document.QuerySelector("a[data-refund]")!.GetAttribute("href")!);
        var effect = confirm.Document.QuerySelector("[data-refund-effect]")!.TextContent;
        Assert.Contains("marks the invoice Refunded", effect);
        Assert.Equal(2, confirm.Document.QuerySelectorAll("[data-refund-services] li").Length);
        var unticked = await Page.ReadAsync(await admin.SubmitAsync(confirm, new() { ["Input.Amount"] = "100.00", ["Input.Reason"] = "Service never delivered" }, "form[data-refund]"));
        Assert.Equal("Tick the box to confirm the refund.", unticked.Document.QuerySelector("[data-valmsg-for='Input.Confirm']")!.TextContent.Trim());
        var noReason = await Page.ReadAsync(await admin.SubmitAsync(confirm, new() { ["Input.Amount"] = "100.00", ["Input.Reason"] = "", ["Input.Confirm"] = "true" }, "form[data-refund]"));
        Assert.Equal("Reason is required.", noReason.ErrorFor("Input.Reason"));
        Assert.Equal(0m, (await slice.FindAsync<Invoice>(order.Invoice.Id))!.AmountRefunded);

        var refunded = await admin.SubmitAsync(confirm, new() { ["Input.Amount"] = "100.00", ["Input.Reason"] = "Service never delivered", ["Input.Confirm"] = "true" }, "form[data-refund]");

        Assert.Equal(HttpStatusCode.Redirect, refunded.StatusCode);
        var after = await slice.OrderAsync(order.Id);
        Assert.Equal((InvoiceStatus.Refunded, 100m), (after.Invoice!.Status, after.Invoice.AmountRefunded));
        Assert.All(after.Services, s => Assert.Equal(ServiceStatus.Suspended, s.Status));
        Assert.Contains(await slice.ActivityForAsync(client.Id), d => d.Contains("refunded (100.00 USD): Service never delivered") && d.Contains("suspended:"));
        Assert.Contains("Service never delivered", (await admin.FollowAsync(refunded)).Document.QuerySelector("[data-refund-reasons]")!.TextContent);
    }

    [Fact]
    public async Task Refunding_a_partly_paid_invoice_gives_back_the_payment_and_keeps_the_rest_due_unless_it_is_cancelled()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Partly Refund Co");
        var product = await slice.ProductAsync(price: 100m, setupFee: 0m);
        var kept = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;
        var closed = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;
        await slice.SendAsync(Pay(kept, 40m));
        await slice.SendAsync(Pay(closed, 40m));

        await slice.SendAsync(Refund(kept, 40m, suspendServices: false));
        await slice.SendAsync(Refund(closed, 40m, cancelBalance: true));

        var stillDue = (await slice.FindAsync<Invoice>(kept))!;
        Assert.Equal((InvoiceStatus.Unpaid, 60m, 40m), (stillDue.Status, stillDue.Balance, stillDue.AmountRefunded));
        Assert.Equal(InvoiceStatus.Refunded, (await slice.FindAsync<Invoice>(closed))!.Status);
        var refused = await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(Refund(kept, 1m)));
        Assert.Contains(refused.Errors, e => e.PropertyName == "Amount");
    }
}
