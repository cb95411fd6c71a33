using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Settings;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class VerifyEmailTests(PortalFixture portal)
{
    private async Task<(Browser Browser, string Email)> RegisterAsync()
    {
        var email = PortalFixture.UniqueEmail("verify");
        var browser = portal.NewBrowser();
        var response = await browser.SubmitAsync("/register", RegisterTests.Form(email));
        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        return (browser, email);
    }

    private Task<string> VerificationLinkAsync(string email) => portal.WithDbAsync(async db =>
    {
        var body = await db.EmailMessages.Where(m => m.To == email && m.Subject == "Please verify your email address").OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync();
        var start = body.IndexOf("https://portal.test/user/verify-email", StringComparison.Ordinal);
        return new Uri(body[start..].Split('\n')[0].Trim()).PathAndQuery;
    });

    private Task<bool> VerifiedAsync(string email) => portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync());

    [Fact]
    public async Task Registering_sends_a_link_that_verifies_the_address_after_one_click_and_the_banner_goes()
    {
        var (browser, email) = await RegisterAsync();
        using var _ = browser;
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Contains(email, dashboard.Document.QuerySelector("[data-verify-banner]")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);

        var link = await VerificationLinkAsync(email);
        var page = await browser.GetAsync(link);
        Assert.False(await VerifiedAsync(email));
        var response = await browser.SubmitAsync(page, []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await VerifiedAsync(email));
        Assert.Null((await browser.GetAsync("/dashboard")).Document.QuerySelector("[data-verify-banner]"));
        Assert.Equal("no-referrer", page.Response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task A_link_is_refused_after_sixty_minutes_after_use_and_after_a_newer_one()
    {
        var (browser, email) = await RegisterAsync();
        using var _ = browser;
        var first = await VerificationLinkAsync(email);
        var firstPage = await browser.GetAsync(first);
        await browser.SubmitAsync("/dashboard", [], "form[data-verify-resend]");
        var second = await VerificationLinkAsync(email);
        Assert.NotEqual(first, second);

        var stale = await Page.ReadAsync(await browser.SubmitAsync(firstPage, []));
        Assert.Equal(HttpStatusCode.BadRequest, stale.Status);
        Assert.NotNull(stale.Document.QuerySelector("[data-verify-failed]"));
        Assert.False(await VerifiedAsync(email));

        var secondPage = await browser.GetAsync(second);
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        var expired = await Page.ReadAsync(await browser.SubmitAsync(secondPage, []));
        Assert.NotNull(expired.Document.QuerySelector("[data-verify-failed]"));
        Assert.False(await VerifiedAsync(email));
    }

    [Fact]
    public async Task A_tampered_token_or_another_users_id_verifies_nothing()
    {
        var (browser, email) = await RegisterAsync();
        using var _ = browser;
        var other = await portal.CreateUserAsync();
        var link = await VerificationLinkAsync(email);
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];

        var wrongUser = await Page.ReadAsync(await browser.SubmitAsync(await browser.GetAsync($"/user/verify-email?user={other.Id}&token={token}"), []));
        var tampered = await Page.ReadAsync(await browser.SubmitAsync(await browser.GetAsync(link[..^3] + "abc"), []));

        Assert.NotNull(wrongUser.Document.QuerySelector("[data-verify-failed]"));
        Assert.NotNull(tampered.Document.QuerySelector("[data-verify-failed]"));
        Assert.False(await VerifiedAsync(email));
        Assert.False(await VerifiedAsync(other.Email!));
    }

    [Fact]
    public async Task With_verification_switched_off_no_link_is_sent_and_no_banner_is_shown()
    {
        await portal.SetSettingAsync(SystemSettings.EmailVerificationKey, "false");
        try
        {
            var (browser, email) = await RegisterAsync();
            using var _ = browser;

            Assert.Null((await browser.GetAsync("/dashboard")).Document.QuerySelector("[data-verify-banner]"));
            Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == email)));
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.EmailVerificationKey, "true");
        }
    }

    [Fact]
    public async Task An_admin_changing_a_users_email_sends_a_link_to_the_new_address()
    {
        var user = await portal.CreateUserAsync();
        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));
        using var admin = await portal.CreateAdminBrowserAsync();
        var newEmail = PortalFixture.UniqueEmail("changed");

        await admin.SubmitAsync($"/admin/users/{user.Id}", new() { ["Input.Email"] = newEmail }, "form[data-user-form]");

        Assert.False(await VerifiedAsync(newEmail));
        var link = await VerificationLinkAsync(newEmail);
        using var browser = await portal.LoginAsync(newEmail);
        await browser.SubmitAsync(await browser.GetAsync(link), []);
        Assert.True(await VerifiedAsync(newEmail));
    }

    [Fact]
    public async Task Accepting_an_invitation_with_another_address_sends_a_link_and_with_the_invited_one_does_not()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("inv-verify");
        var otherAddress = PortalFixture.UniqueEmail("inv-other");
        await ownerBrowser.InviteAsync(invited);
        await ownerBrowser.InviteAsync(otherAddress + ".invite");

        using (var same = portal.NewBrowser())
        {
            await same.SubmitAsync(await portal.InvitationLinkAsync(invited),
                new() { ["Input.FirstName"] = "S", ["Input.LastName"] = "Ame", ["Input.Email"] = invited, ["Input.Password"] = PortalFixture.Password }, "form[data-form=register]");
        }

        using (var different = portal.NewBrowser())
        {
            await different.SubmitAsync(await portal.InvitationLinkAsync(otherAddress + ".invite"),
                new() { ["Input.FirstName"] = "D", ["Input.LastName"] = "Iff", ["Input.Email"] = otherAddress, ["Input.Password"] = PortalFixture.Password }, "form[data-form=register]");
        }

        Assert.True(await VerifiedAsync(invited));
        Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == invited && m.Subject == "Please verify your email address")));
        Assert.False(await VerifiedAsync(otherAddress));
        Assert.StartsWith("/user/verify-email", await VerificationLinkAsync(otherAddress));
    }
}
