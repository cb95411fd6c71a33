using System.Net;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Identity;
using Portal.Tests.Features.Billing;

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
