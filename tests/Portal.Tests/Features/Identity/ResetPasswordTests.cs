using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class ResetPasswordTests(PortalFixture portal)
{
    private const string NewPassword = "copper lantern meadow quietly";
    private const string NewerPassword = "granite orchard whistle evening";

    private async Task<string> RequestLinkAsync(string email)
    {
        using var browser = portal.NewBrowser();
        await browser.SubmitAsync("/password/forgot", new() { ["Input.Email"] = email });
        return await portal.LatestResetLinkAsync(email);
    }

    private static Task<HttpResponseMessage> ResetAsync(Browser browser, string link, string password) =>
        browser.SubmitAsync(link, new() { ["Input.Password"] = password, ["Input.ConfirmPassword"] = password });

    [Fact]
    public async Task A_reset_changes_the_password_ends_every_session_and_sends_a_notice()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var signedIn = await portal.LoginAsync(owner.Email!);
        var link = await RequestLinkAsync(owner.Email!);
        using var browser = portal.NewBrowser();

        var response = await ResetAsync(browser, link, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery());
        var refused = await signedIn.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery());
        using (await portal.LoginAsync(owner.Email!, NewPassword))
        {
        }

        var messages = await portal.MessagesToAsync(owner.Email!);
        Assert.Contains(messages, m => m.Subject == "Your Portal password was changed");
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == owner.Id && e.Description.StartsWith("Password reset for"))));
    }

    [Fact]
    public async Task An_older_link_is_refused_after_a_newer_reset()
    {
        var user = await portal.CreateUserAsync();
        var older = await RequestLinkAsync(user.Email!);
        var newer = await RequestLinkAsync(user.Email!);
        using var browser = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await ResetAsync(browser, newer, NewPassword)).StatusCode);

        var olderPage = await browser.GetAsync(older);
        var crafted = await browser.PostAsync(older, [
            new("Input.UserId", user.Id.ToString()),
            new("Input.Token", older[(older.IndexOf("token=", StringComparison.Ordinal) + 6)..]),
            new("Input.Password", NewerPassword),
            new("Input.ConfirmPassword", NewerPassword),
            new("__RequestVerificationToken", await browser.AntiforgeryTokenAsync("/password/forgot")),
        ]);
        var craftedPage = await Page.ReadAsync(crafted);

        Assert.NotNull(olderPage.Document.QuerySelector("[data-invalid-link]"));
        Assert.Null(olderPage.Document.QuerySelector("input[name='Input.Password']"));
        Assert.Equal(HttpStatusCode.OK, crafted.StatusCode);
        Assert.Contains("invalid or has expired", craftedPage.Text);
        using (await portal.LoginAsync(user.Email!, NewPassword))
        {
        }
    }

    [Fact]
    public async Task A_used_link_cannot_be_used_again()
    {
        var user = await portal.CreateUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await ResetAsync(browser, link, NewPassword)).StatusCode);

        var again = await browser.GetAsync(link);

        Assert.NotNull(again.Document.QuerySelector("[data-invalid-link]"));
    }

    [Fact]
    public async Task A_weak_password_is_refused_and_the_link_keeps_working()
    {
        var user = await portal.CreateUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = portal.NewBrowser();

        var weak = await Page.ReadAsync(await ResetAsync(browser, link, "password1234"));
        var strong = await ResetAsync(browser, link, NewPassword);

        Assert.Equal(HttpStatusCode.OK, weak.Status);
        Assert.False(string.IsNullOrEmpty(weak.ErrorFor("Input.Password")));
        Assert.Equal(HttpStatusCode.Redirect, strong.StatusCode);
    }

    [Fact]
    public async Task A_tampered_token_shows_the_neutral_page_and_the_page_sends_no_referrer()
    {
        var user = await portal.CreateUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = portal.NewBrowser();

        var tampered = await browser.GetAsync(link[..^4] + "AAAA");
        var garbage = await browser.GetAsync($"/password/reset?user={user.Id}&token=%%%");

        Assert.Equal(HttpStatusCode.OK, tampered.Status);
        Assert.NotNull(tampered.Document.QuerySelector("[data-invalid-link]"));
        Assert.NotNull(garbage.Document.QuerySelector("[data-invalid-link]"));
        Assert.Equal("no-referrer", tampered.Response.Headers.GetValues("Referrer-Policy").Single());
    }
}
