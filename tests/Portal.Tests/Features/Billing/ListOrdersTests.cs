using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class ListOrdersTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task The_orders_page_lists_the_accounts_own_orders_newest_first_with_items_total_invoice_and_status()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Order List Co");
        var plan = await slice.ProductAsync(price: 30m, setupFee: 0m);
        var addOn = await slice.ProductAsync(price: 5m, setupFee: 0m);
        var first = await slice.PlaceOrderAsync(client.Id, owner.Id, (plan, 1));
        var second = await slice.PlaceOrderAsync(client.Id, owner.Id, (plan, 1), (addOn, 2));
        var (stranger, strangerClient) = await portal.CreateOwnerAsync("Other Orders Co");
        var foreign = await slice.PlaceOrderAsync(strangerClient.Id, stranger.Id, (plan, 1));
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal([second.ToString(), first.ToString()], page.Document.QuerySelectorAll("[data-order-id]").Select(r => r.GetAttribute("data-order-id")));
        var row = page.Document.QuerySelector($"[data-order-id='{second}']")!;
        Assert.Contains($"1 × {plan.Name}, 2 × {addOn.Name}", row.TextContent);
        Assert.Contains("40.00 USD", row.TextContent);
        Assert.Equal("Pending", row.QuerySelector("[data-order-status]")!.TextContent.Trim());
        var invoice = (await slice.OrderAsync(second)).Invoice!;
        Assert.Equal($"/invoices/{invoice.Id}", row.QuerySelector("[data-order-invoice] a")!.GetAttribute("href"));
        Assert.Equal($"/orders/{second}", row.QuerySelector($"a[href='/orders/{second}']")!.GetAttribute("href"));
        Assert.Null(page.Document.QuerySelector($"[data-order-id='{foreign}']"));
        Assert.NotNull(page.Document.QuerySelector("a[data-place-order][href='/orders/new']"));
    }

    [Fact]
    public async Task The_list_filters_by_status_says_so_when_empty_and_a_new_account_is_told_it_has_no_orders()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Order Filter Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var none = await browser.GetAsync("/orders");
        Assert.Contains("No orders yet.", none.Document.QuerySelector("[data-empty-state]")!.TextContent);

        await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(), 1));

        Assert.Single((await browser.GetAsync("/orders?status=Pending")).Document.QuerySelectorAll("[data-order-id]"));
        var accepted = await browser.GetAsync("/orders?status=Accepted");
        Assert.Empty(accepted.Document.QuerySelectorAll("[data-order-id]"));
        Assert.Contains("No orders with this status.", accepted.Document.QuerySelector("[data-empty-state]")!.TextContent);
        var nonsense = await browser.GetAsync("/orders?status=Everything");
        Assert.Equal(HttpStatusCode.OK, nonsense.Status);
        Assert.Single(nonsense.Document.QuerySelectorAll("[data-order-id]"));
    }

    [Fact]
    public async Task Orders_need_the_orders_permission_and_the_invoice_is_linked_only_for_those_who_may_open_it()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Order Rights Co");
        var orderId = await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(), 1));
        var orderer = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, orderer.Id, Permission.Orders);
        var reader = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, reader.Id, Permission.Invoices);

        using (var browser = await portal.LoginAsync(orderer.Email!))
        {
            var page = await browser.GetAsync("/orders");
            var row = page.Document.QuerySelector($"[data-order-id='{orderId}']")!;
            Assert.Null(row.QuerySelector("[data-order-invoice] a"));
            var number = (await slice.OrderAsync(orderId)).Invoice!.Number;
            Assert.Contains($"#{number}", row.QuerySelector("[data-order-invoice]")!.TextContent);
            Assert.Equal("/orders", page.Document.QuerySelector("nav a[href='/orders']")?.GetAttribute("href"));
        }

        using var refused = await portal.LoginAsync(reader.Email!);
        Assert.Equal(HttpStatusCode.Forbidden, (await refused.GetAsync("/orders")).Status);
        Assert.Null((await refused.GetAsync("/dashboard")).Document.QuerySelector("nav a[href='/orders']"));
    }
}
