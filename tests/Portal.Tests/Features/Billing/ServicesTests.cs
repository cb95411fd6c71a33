using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Features.Billing;
using Portal.Features.Clients;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class ServicesTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private async Task<(User Owner, Client Client, Service Service)> ActiveServiceAsync(string company)
    {
        var (owner, client) = await portal.CreateOwnerAsync(company);
        var order = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(price: 12m, setupFee: 0m), 1)));
        await slice.SendAsync(new RecordPayment.Command { InvoiceId = order.Invoice!.Id, Amount = 12m, Date = new DateOnly(2026, 3, 1), Method = "Bank transfer" });
        return (owner, client, (await slice.OrderAsync(order.Id)).Services.Single());
    }

    [Fact]
    public async Task The_service_shows_its_status_and_with_manageproducts_its_login_whose_reset_shows_a_new_password_once_and_is_logged()
    {
        var (owner, client, service) = await ActiveServiceAsync("Service Login Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        var list = await browser.GetAsync("/services");
        Assert.Equal("Active", list.Document.QuerySelector($"[data-service-id='{service.Id}'] [data-service-status]")!.TextContent.Trim());
        var page = await browser.GetAsync($"/services/{service.Id}");
        var field = page.Document.QuerySelector("[data-password]")!;
        var before = field.GetAttribute("value")!;
        Assert.Equal($"svc{service.Id}", page.Document.QuerySelector("[data-username]")!.TextContent);
        // A read-only box labelled Password, which the page's script masks, with Show and Copy (hidden without script).
        Assert.Equal("Password", page.Document.QuerySelector($"label[for='{field.Id}']")!.TextContent);
        Assert.NotNull(field.GetAttribute("readonly"));
        Assert.Equal(["Show", "Copy"], page.Document.QuerySelectorAll("[data-secret-field] button").Select(b => b.TextContent));
        Assert.All(page.Document.QuerySelectorAll("[data-secret-field] button"), b => Assert.Equal(field.Id, b.GetAttribute("aria-controls")));

        var reset = await Page.ReadAsync(await browser.SubmitAsync($"/services/{service.Id}/password", [], "form[data-reset-password]"));
        var shown = reset.Document.QuerySelector("[data-new-password] [data-password]")!.GetAttribute("value")!;

        Assert.NotEqual(before, shown);
        Assert.Equal(20, shown.Length);
        Assert.Null((await browser.GetAsync($"/services/{service.Id}/password")).Document.QuerySelector("[data-new-password]"));
        var log = await slice.ActivityForAsync(client.Id);
        Assert.Contains($"Password of service {service.Name} (#{service.Id}) login svc{service.Id} reset", log);
        Assert.DoesNotContain(log, d => d.Contains(shown));
        Assert.DoesNotContain(shown, (await slice.FindAsync<Service>(service.Id))!.PasswordProtected);
    }

    [Fact]
    public async Task Without_manageproducts_the_login_is_not_shown_and_the_reset_is_refused()
    {
        var (_, client, service) = await ActiveServiceAsync("No Login Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Products);
        using var browser = await portal.LoginAsync(member.Email!);

        Assert.Null((await browser.GetAsync($"/services/{service.Id}")).Document.QuerySelector("[data-service-login]"));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/services/{service.Id}/password")).Status);
    }

    [Fact]
    public async Task A_cancellation_request_is_recorded_logged_and_shown_to_the_admin()
    {
        var (owner, client, service) = await ActiveServiceAsync("Cancel Request Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        var response = await browser.SubmitAsync($"/services/{service.Id}/cancel", new() { ["Input.Kind"] = "Immediate", ["Input.Reason"] = "Moving on" }, "form[data-request-cancellation]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = (await slice.FindAsync<Service>(service.Id))!;
        Assert.Equal((CancellationKind.Immediate, "Moving on", (int?)owner.Id), (stored.CancellationKind!.Value, stored.CancellationReason, stored.CancellationRequestedByUserId));
        Assert.Contains(await slice.ActivityForAsync(client.Id), d => d.StartsWith($"Cancellation of service {service.Name} (#{service.Id}) requested immediately"));
        using var admin = await portal.CreateAdminBrowserAsync();
        Assert.NotNull((await admin.GetAsync("/admin/orders")).Document.QuerySelector($"[data-cancellation-request='{service.Id}']"));
        Assert.NotNull((await browser.GetAsync($"/services/{service.Id}/cancel")).Document.QuerySelector("[data-cannot-cancel]"));
        var token = await browser.AntiforgeryTokenAsync("/user/accounts");
        var again = await browser.PostAsync($"/services/{service.Id}/cancel", new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Input.Kind"] = "EndOfPeriod", ["Input.Reason"] = "Second thoughts" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Moving on", (await slice.FindAsync<Service>(service.Id))!.CancellationReason);
    }
}
