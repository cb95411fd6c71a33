using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Features.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Billing;

/// <summary>Step-up: a service password is shown or reset only after a proof of who is asking younger than the setting (10 minutes).</summary>
[Collection(BillingCollection.Name)]
public sealed class ServicePasswordStepUpTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private async Task<(Portal.Features.Identity.User Owner, Service Service)> ActiveServiceAsync()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Step Up Co");
        var order = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (await slice.ProductAsync(price: 12m, setupFee: 0m), 1)));
        await slice.SendAsync(new RecordPayment.Command { InvoiceId = order.Invoice!.Id, Amount = 12m, Date = new DateOnly(2026, 3, 1), Method = "Bank transfer" });
        return (owner, (await slice.OrderAsync(order.Id)).Services.Single());
    }

    [Fact]
    public async Task A_session_older_than_the_window_is_asked_again_before_the_password_is_shown_and_a_fresh_proof_is_not_asked_twice()
    {
        var (owner, service) = await ActiveServiceAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var url = $"/services/{service.Id}";
        Assert.NotNull((await browser.GetAsync(url)).Document.QuerySelector("[data-password]"));

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));
        var stale = await browser.GetAsync(url);
        Assert.Null(stale.Document.QuerySelector("[data-password]"));
        Assert.NotNull(stale.Document.QuerySelector("[data-login-awaits-proof]"));
        using (var reset = await browser.Client.GetAsync($"{url}/password"))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
            Assert.StartsWith("/user/confirm?returnUrl=", reset.Headers.Location!.PathAndQuery());
        }

        var wrong = await Page.ReadAsync(await browser.SubmitAsync($"/user/confirm?returnUrl={Uri.EscapeDataString(url)}", new() { ["Input.Password"] = "not my password at all" }));
        Assert.Equal(ConfirmIdentity.Wrong, wrong.ErrorFor("Input.Password"));
        Assert.Null((await browser.GetAsync(url)).Document.QuerySelector("[data-password]"));

        var confirmed = await browser.SubmitAsync($"/user/confirm?returnUrl={Uri.EscapeDataString(url)}", new() { ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(url, confirmed.Headers.Location!.PathAndQuery());
        Assert.NotNull((await browser.GetAsync(url)).Document.QuerySelector("[data-password]"));

        // Within the window, nothing is asked again: the reset page opens and resets at once.
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull((await browser.GetAsync(url)).Document.QuerySelector("[data-password]"));
        var done = await Page.ReadAsync(await browser.SubmitAsync($"{url}/password", [], "form[data-reset-password]"));
        Assert.NotNull(done.Document.QuerySelector("[data-new-password] [data-password]"));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == owner.Id && e.Description.StartsWith($"Identity confirmed by {owner.Email}"))));
    }

    [Fact]
    public async Task A_stale_session_posting_a_reset_is_sent_to_confirm_and_nothing_changes()
    {
        var (owner, service) = await ActiveServiceAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var url = $"/services/{service.Id}/password";
        var token = await browser.AntiforgeryTokenAsync(url);
        var before = await portal.WithDbAsync(db => db.Services.Where(s => s.Id == service.Id).Select(s => s.PasswordProtected).SingleAsync());

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));
        using var response = await browser.PostAsync(url, [new("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/user/confirm", response.Headers.Location!.PathAndQuery());
        Assert.Equal(before, await portal.WithDbAsync(db => db.Services.Where(s => s.Id == service.Id).Select(s => s.PasswordProtected).SingleAsync()));
    }
}
