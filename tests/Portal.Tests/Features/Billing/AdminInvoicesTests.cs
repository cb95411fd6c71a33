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

        await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(new RefundInvoice.Command(invoiceId)));
        await slice.SendAsync(Pay(invoiceId, 10m));
        await slice.SendAsync(new RefundInvoice.Command(invoiceId));

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
}
