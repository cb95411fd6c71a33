using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Billing;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class InvoicesTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task The_invoice_shows_its_lines_totals_due_date_and_how_to_pay_it_with_its_number_as_reference()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Invoice Reader Co");
        var product = await slice.ProductAsync(price: 30m, setupFee: 0m);
        var orderId = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2));
        var invoice = (await slice.OrderAsync(orderId)).Invoice!;
        using var browser = await portal.LoginAsync(owner.Email!);

        var list = await browser.GetAsync("/invoices");
        Assert.Contains($"#{invoice.Number}", list.Document.QuerySelector($"[data-invoice-id='{invoice.Id}']")!.TextContent);
        var page = await browser.GetAsync($"/invoices/{invoice.Id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("60.00 USD", page.Document.QuerySelector("[data-total]")!.TextContent.Trim());
        Assert.Equal("60.00 USD", page.Document.QuerySelector("[data-balance]")!.TextContent.Trim());
        Assert.Equal("Unpaid", page.Document.QuerySelector("[data-invoice-status]")!.TextContent.Trim());
        Assert.Equal(invoice.DueAt.ToString("yyyy-MM-dd"), page.Document.QuerySelector("[data-due]")!.TextContent.Trim());
        Assert.Equal($"INV-{invoice.Number}", page.Document.QuerySelector("[data-payment-reference]")!.TextContent.Trim());
        Assert.Single(page.Document.QuerySelectorAll("[data-invoice-lines] tbody tr"));
        Assert.NotNull(page.Document.QuerySelector("link[rel=stylesheet][media=print]"));
    }

    [Fact]
    public async Task The_list_filters_by_status_and_says_so_when_empty()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Invoice Filter Co");
        var product = await slice.ProductAsync();
        await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        using var browser = await portal.LoginAsync(owner.Email!);

        Assert.Single((await browser.GetAsync("/invoices?status=Unpaid")).Document.QuerySelectorAll("[data-invoice-id]"));
        var paid = await browser.GetAsync("/invoices?status=Paid");
        Assert.Empty(paid.Document.QuerySelectorAll("[data-invoice-id]"));
        Assert.NotNull(paid.Document.QuerySelector("[data-empty-state]"));
    }

    [Fact]
    public async Task Another_accounts_order_invoice_and_service_answer_404_on_get_and_post()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Invoice Victim Co");
        var product = await slice.ProductAsync();
        var orderId = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        var order = await slice.OrderAsync(orderId);
        var (serviceId, invoiceId) = (order.Services.Single().Id, order.Invoice!.Id);
        var (outsider, _) = await portal.CreateOwnerAsync("Invoice Snoop Co");
        using var browser = await portal.LoginAsync(outsider.Email!);
        var token = await browser.AntiforgeryTokenAsync("/user/accounts");

        foreach (var path in new[] { $"/invoices/{invoiceId}", $"/orders/{orderId}", $"/services/{serviceId}", $"/services/{serviceId}/cancel", $"/services/{serviceId}/password" })
        {
            var get = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, get.Status);
            Assert.DoesNotContain("Invoice Victim Co", get.Text);
        }

        // The view pages take no POST at all (405 whatever the id); the pages with a form answer 404 and write nothing.
        foreach (var path in new[] { $"/services/{serviceId}/cancel", $"/services/{serviceId}/password" })
        {
            var post = await browser.PostAsync(path, new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Input.Kind"] = "Immediate", ["Input.Reason"] = "Hostile" });
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }

        var service = (await slice.FindAsync<Service>(serviceId))!;
        Assert.Null(service.CancellationRequestedAt);
        Assert.Null(service.PasswordProtected);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.PostAsync($"/invoices/{invoiceId}", new Dictionary<string, string> { ["__RequestVerificationToken"] = token })).StatusCode);
    }

    [Fact]
    public async Task Without_invoices_the_pages_show_the_required_permissions()
    {
        var (owner, client) = await portal.CreateOwnerAsync("No Invoices Co");
        var product = await slice.ProductAsync();
        var invoiceId = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Orders);
        using var browser = await portal.LoginAsync(member.Email!);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/invoices")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/invoices/{invoiceId}")).Status);
    }
}
