using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Identity;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class AdminOrdersTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task An_order_the_admin_creates_belongs_to_the_owner_records_the_admin_and_keeps_its_user_after_an_ownership_change()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Admin Order Co");
        var product = await slice.ProductAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync($"/admin/orders/new?client={client.Id}");
        var row = form.Document.QuerySelectorAll("[data-product-id]").Single(r => r.GetAttribute("data-product-id") == product.Id.ToString());

        var review = await Page.ReadAsync(await admin.SubmitAsync(form, new() { [row.QuerySelector("input[type=number]")!.GetAttribute("name")!] = "1" }, "form[data-create-order]"));
        Assert.Equal("25.00 USD", review.Document.QuerySelector("[data-total]")!.TextContent.Trim());
        var created = await admin.SubmitAsync(review, [], "form[data-confirm-order]");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await admin.FollowAsync(created);
        var order = await portal.WithDbAsync(db => db.Orders.SingleAsync(o => o.ClientId == client.Id));
        var adminRow = await portal.WithDbAsync(db => db.Admins.SingleAsync(a => a.Id == order.CreatedByAdminId));
        Assert.Equal(owner.Id, order.UserId);
        Assert.Equal($"Created by admin {$"{adminRow.FirstName} {adminRow.LastName}".Trim()}, associated with owner {owner.FullName} ({owner.Email})",
            page.Document.QuerySelector("[data-order-attribution]")!.TextContent.Trim());
        var entry = await portal.WithDbAsync(db => db.ActivityLog.SingleAsync(e => e.ClientId == client.Id && e.Description.StartsWith($"Order #{order.Id} created by admin")));
        Assert.Equal(adminRow.Id, entry.AdminId);

        var successor = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, successor.Id, Permission.Orders);
        await slice.SendAsync(new MakeOwner.Command { ClientId = client.Id, UserId = successor.Id, Confirm = true });

        Assert.Equal(owner.Id, (await slice.FindAsync<Order>(order.Id))!.UserId);
        Assert.Contains($"associated with owner {owner.FullName} ({owner.Email})", (await admin.GetAsync($"/admin/orders/{order.Id}")).Document.QuerySelector("[data-order-attribution]")!.TextContent);
    }

    [Fact]
    public async Task A_users_own_order_says_who_placed_it_on_the_admin_page()
    {
        var (_, client) = await slice.CreateOwnerAsync("Placed By Co");
        var member = await slice.CreateUserAsync();
        await slice.AssociateAsync(client.Id, member.Id, Permission.Orders);
        var orderId = await slice.PlaceOrderAsync(client.Id, member.Id, (await slice.ProductAsync(), 1));
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/orders/{orderId}");

        Assert.Equal($"Placed by {member.FullName} ({member.Email})", page.Document.QuerySelector("[data-order-attribution]")!.TextContent.Trim());
        var list = await admin.GetAsync($"/admin/orders?client={client.Id}&status=Pending");
        Assert.NotNull(list.Document.QuerySelector($"[data-order-id='{orderId}']"));
        Assert.Null((await admin.GetAsync($"/admin/orders?client={client.Id}&status=Cancelled")).Document.QuerySelector($"[data-order-id='{orderId}']"));
    }

    [Fact]
    public async Task With_verification_required_the_order_waits_until_the_admin_marks_the_user_verified_and_a_later_order_does_not_wait()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Verification Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("verify-me"), "Vera", "Verify");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Orders);
        var product = await slice.ProductAsync();
        int waitingId;
        await slice.SetVerificationRequiredAsync(true);
        try
        {
            waitingId = await slice.PlaceOrderAsync(client.Id, member.Id, (product, 1));
            Assert.Equal(OrderStatus.PendingVerification, (await slice.FindAsync<Order>(waitingId))!.Status);
            using (var user = await portal.LoginAsync(member.Email!))
            {
                var banner = (await user.GetAsync($"/orders/{waitingId}")).Document.QuerySelector("[data-verification-banner]");
                Assert.Contains($"Vera Verify ({member.Email})", banner!.TextContent);
            }

            using var admin = await portal.CreateAdminBrowserAsync();
            var response = await admin.SubmitAsync($"/admin/orders/{waitingId}", [], "form[data-mark-verified]");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

            Assert.Equal(OrderStatus.Pending, (await slice.FindAsync<Order>(waitingId))!.Status);
            var verified = (await slice.FindAsync<User>(member.Id))!;
            Assert.NotNull(verified.IdentityVerifiedAt);
            Assert.NotNull(verified.IdentityVerifiedByAdminId);
            Assert.Contains($"User {member.Email} identity verified", await portal.WithDbAsync(db => db.ActivityLog.Select(e => e.Description).ToListAsync()));

            var laterId = await slice.PlaceOrderAsync(client.Id, member.Id, (product, 1));
            Assert.Equal(OrderStatus.Pending, (await slice.FindAsync<Order>(laterId))!.Status);
        }
        finally
        {
            await slice.SetVerificationRequiredAsync(false);
        }

        _ = owner;
    }

    [Fact]
    public async Task Accept_cancel_and_fraud_are_logged_and_cancelling_twice_is_refused()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Decisions Co");
        var product = await slice.ProductAsync();
        var accepted = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        var cancelled = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        var fraud = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));

        await slice.SendAsync(new AcceptOrder.Command(accepted));
        await slice.SendAsync(Cancel(cancelled, OrderDecision.Cancel));
        await slice.SendAsync(Cancel(fraud, OrderDecision.Fraud));
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => slice.SendAsync(Cancel(cancelled, OrderDecision.Cancel)));

        Assert.Equal(OrderStatus.Accepted, (await slice.FindAsync<Order>(accepted))!.Status);
        var cancelledOrder = await slice.OrderAsync(cancelled);
        Assert.Equal((OrderStatus.Cancelled, InvoiceStatus.Cancelled), (cancelledOrder.Status, cancelledOrder.Invoice!.Status));
        Assert.Equal(OrderStatus.Fraud, (await slice.FindAsync<Order>(fraud))!.Status);
        var log = await slice.ActivityForAsync(client.Id);
        Assert.Contains($"Order #{accepted} accepted", log);
        Assert.Contains(log, d => d.StartsWith($"Order #{cancelled} cancelled: Client asked"));
        Assert.Contains(log, d => d.StartsWith($"Order #{fraud} marked as fraud: Client asked"));
    }

    private static CancelOrder.Command Cancel(int orderId, OrderDecision decision) =>
        new() { OrderId = orderId, Decision = decision, Reason = "Client asked", Confirm = true };

    [Fact]
    public async Task Cancelling_and_marking_fraud_are_confirmed_on_a_page_that_states_the_effect_and_keeps_the_reason()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Confirm Cancel Co");
        var product = await slice.ProductAsync(price: 30m, setupFee: 0m);
        var orderId = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2));
        using var admin = await portal.CreateAdminBrowserAsync();
        var orderPage = await admin.GetAsync($"/admin/orders/{orderId}");

        var oneClick = await admin.PostAsync($"/admin/orders/{orderId}?handler=Decide",
            [new("__RequestVerificationToken", orderPage.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), new("decision", "Fraud")]);
        Assert.NotEqual(HttpStatusCode.Redirect, oneClick.StatusCode);
        Assert.Equal(OrderStatus.Pending, (await slice.FindAsync<Order>(orderId))!.Status);

        var confirm = await admin.GetAsync(orderPage.Document.QuerySelector("a[data-mark-fraud]")!.GetAttribute("href")!);
        Assert.Equal("Fraud", confirm.Document.QuerySelector("input[name='Input.Decision']:checked")!.GetAttribute("value"));
        Assert.Contains("is cancelled: nothing was paid", confirm.Document.QuerySelector("[data-cancel-invoice]")!.TextContent);
        Assert.Equal(2, confirm.Document.QuerySelectorAll("[data-cancel-services] li").Length);
        var unticked = await Page.ReadAsync(await admin.SubmitAsync(confirm, new() { ["Input.Reason"] = "Stolen card" }, "form[data-cancel-order]"));
        Assert.Equal("Tick the box to confirm.", unticked.Document.QuerySelector("[data-valmsg-for='Input.Confirm']")!.TextContent.Trim());
        Assert.Equal(OrderStatus.Pending, (await slice.FindAsync<Order>(orderId))!.Status);

        var marked = await admin.SubmitAsync(confirm, new() { ["Input.Reason"] = "Stolen card", ["Input.Confirm"] = "true" }, "form[data-cancel-order]");

        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        var order = await slice.OrderAsync(orderId);
        Assert.Equal((OrderStatus.Fraud, "Stolen card", InvoiceStatus.Cancelled), (order.Status, order.StatusReason, order.Invoice!.Status));
        Assert.All(order.Services, s => Assert.Equal(ServiceStatus.Cancelled, s.Status));
        Assert.Equal("Stolen card", (await admin.FollowAsync(marked)).Document.QuerySelector("[data-status-reason]")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_cancel_page_says_a_paid_invoice_stays_for_its_refund()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Paid Cancel Co");
        var orderId = await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(price: 30m, setupFee: 0m), 1));
        var invoiceId = (await slice.OrderAsync(orderId)).Invoice!.Id;
        await slice.SendAsync(new RecordPayment.Command { InvoiceId = invoiceId, Amount = 30m, Date = new DateOnly(2026, 3, 1), Method = "Bank transfer" });
        using var admin = await portal.CreateAdminBrowserAsync();

        var confirm = await admin.GetAsync($"/admin/orders/{orderId}/cancel");

        Assert.Contains("stays paid (30.00 USD)", confirm.Document.QuerySelector("[data-cancel-invoice]")!.TextContent);
    }
}
