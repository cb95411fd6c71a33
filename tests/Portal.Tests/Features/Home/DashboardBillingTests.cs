using System.Net;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Identity;
using Portal.Tests.Features.Billing;
using Portal.Tests.Features.Support;
using Microsoft.EntityFrameworkCore;

namespace Portal.Tests.Features.Home;

[Collection(HomeCollection.Name)]
public sealed class DashboardBillingTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task The_dashboard_counts_unpaid_invoices_with_the_total_due_and_open_orders_only_for_the_permissions_held()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Tiles Co");
        var product = await slice.ProductAsync(price: 20m, setupFee: 5m);
        await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2));
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Products);

        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            var page = await browser.GetAsync("/dashboard");
            Assert.Contains("2", page.Document.QuerySelector("[data-tile=invoices]")!.TextContent);
            Assert.Equal("75.00 USD", page.Document.QuerySelector("[data-total-due]")!.TextContent.Trim());
            Assert.Contains("2", page.Document.QuerySelector("[data-tile=orders]")!.TextContent);
            Assert.Contains("0", page.Document.QuerySelector("[data-tile=services]")!.TextContent);
        }

        using var limited = await portal.LoginAsync(member.Email!);
        var limitedPage = await limited.GetAsync("/dashboard");
        Assert.NotNull(limitedPage.Document.QuerySelector("[data-tile=services]"));
        Assert.Null(limitedPage.Document.QuerySelector("[data-tile=invoices]"));
        Assert.Null(limitedPage.Document.QuerySelector("[data-tile=orders]"));
    }

    [Fact]
    public async Task Needs_your_attention_lists_unpaid_invoices_answered_tickets_and_services_due_soon_each_for_those_who_may_see_it()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Attention Co");
        var unpaidOrder = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(price: 20m, setupFee: 5m), 1)));
        var freeOrder = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(price: 0m, setupFee: 0m), 1)));
        var service = freeOrder.Services.Single();
        var dueIn = portal.Factory.Time.GetUtcNow().AddDays(5);
        await portal.WithDbAsync(db => db.Services.Where(s => s.Id == service.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.NextDueAt, dueIn)));
        var answered = await portal.TicketAsync(client.Id, owner.AsSender(), subject: "Mail is bouncing");
        var waiting = await portal.TicketAsync(client.Id, owner.AsSender(), subject: "Still waiting on staff");
        using (var admin = await portal.CreateAdminBrowserAsync())
        {
            var reply = await admin.SubmitAsync($"/admin/tickets/{answered.Id}", new() { ["Input.Message"] = "Fixed, please check." }, "form[data-answer]");
            Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        }

        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);

        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            var page = await browser.GetAsync("/dashboard");
            var invoices = page.Document.QuerySelector("[data-attention-invoices]")!;
            Assert.Contains("25.00 USD due", invoices.TextContent);
            Assert.NotNull(invoices.QuerySelector($"a[href='/invoices/{unpaidOrder.Invoice!.Id}']"));
            var tickets = page.Document.QuerySelector("[data-attention-tickets]")!;
            Assert.Contains("Mail is bouncing", tickets.TextContent);
            Assert.DoesNotContain("Still waiting on staff", tickets.TextContent);
            var services = page.Document.QuerySelector("[data-attention-services]")!;
            Assert.NotNull(services.QuerySelector($"a[href='/services/{service.Id}']"));
            Assert.Equal("/orders", page.Document.QuerySelector("a[data-tile=orders]")!.GetAttribute("href"));
        }

        using (var limited = await portal.LoginAsync(member.Email!))
        {
            var page = await limited.GetAsync("/dashboard");
            Assert.NotNull(page.Document.QuerySelector("[data-attention-tickets]"));
            Assert.Null(page.Document.QuerySelector("[data-attention-invoices]"));
            Assert.Null(page.Document.QuerySelector("[data-attention-services]"));
        }

        var (quiet, _) = await portal.CreateOwnerAsync("Nothing Due Co");
        using var calm = await portal.LoginAsync(quiet.Email!);
        Assert.Null((await calm.GetAsync("/dashboard")).Document.QuerySelector("[data-attention]"));
    }

    [Fact]
    public async Task The_admin_client_page_counts_orders_invoices_and_services_and_links_to_them()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Client Billing Co");
        await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(), 3));
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/clients/{client.Id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("1", page.Document.QuerySelector("[data-count=orders]")!.TextContent);
        Assert.Equal("1", page.Document.QuerySelector("[data-count=invoices]")!.TextContent);
        Assert.Equal("3", page.Document.QuerySelector("[data-count=services]")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector($"[data-client-billing] a[href='/admin/orders?client={client.Id}']"));
    }

    [Fact]
    public async Task Manage_User_marks_a_user_identity_verified()
    {
        var user = await portal.CreateUserAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/users/{user.Id}", [], "form[data-mark-verified]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull((await slice.FindAsync<User>(user.Id))!.IdentityVerifiedAt);
        Assert.Null((await admin.FollowAsync(response)).Document.QuerySelector("form[data-mark-verified]"));
    }
}
