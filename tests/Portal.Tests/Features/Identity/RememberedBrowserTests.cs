using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Features.Identity.TwoFactorSteps;

namespace Portal.Tests.Features.Identity;

/// <summary>"Remember this browser for 30 days" at the code step: the password alone signs that login in from that browser, until something changes.</summary>
[Collection(IdentityCollection.Name)]
public sealed class RememberedBrowserTests(PortalFixture portal)
{
    private async Task<(Portal.Features.Identity.User User, string Key)> EnrolledUserAsync()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var (key, _) = await EnrolAsync(portal, browser);
        return (user, key);
    }

    /// <summary>Logs out and posts the password again in the same browser: the answer's Location tells whether the code was asked.</summary>
    private static async Task<string> PasswordAgainAsync(Browser browser, string email)
    {
        var signedIn = await browser.GetAsync("/user/profile");
        if (signedIn.Status == HttpStatusCode.OK)
        {
            await browser.SubmitAsync(signedIn, [], "form[action='/logout']");
        }

        var response = await browser.SubmitAsync("/login", new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.PathAndQuery();
    }

    private static async Task<Browser> RememberedAsync(PortalFixture portal, string email, string key)
    {
        var browser = await PasswordStepAsync(portal, email);
        var signedIn = await browser.SubmitAsync("/login/code", new() { ["Input.Code"] = CodeAt(portal, key), ["Input.RememberBrowser"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-portal-2fa-browser=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=2592000", cookie, StringComparison.OrdinalIgnoreCase);
        NextStep(portal);
        return browser;
    }

    [Fact]
    public async Task A_remembered_browser_signs_that_login_in_with_the_password_alone_and_no_other_login()
    {
        var (user, key) = await EnrolledUserAsync();
        var (other, _) = await EnrolledUserAsync();
        using var browser = await RememberedAsync(portal, user.Email!, key);

        Assert.Equal("/dashboard", await PasswordAgainAsync(browser, user.Email!));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/user/security")).Status);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.EndsWith("from a browser remembered for two-factor authentication"))));

        // Another login in the same browser is asked for its code; and the first one's cookie in another browser is worth nothing.
        Assert.StartsWith("/login/code", await PasswordAgainAsync(browser, other.Email!));
        using var elsewhere = await PasswordStepAsync(portal, user.Email!);

        // Without the box ticked nothing is remembered.
        using var unticked = await PasswordStepAsync(portal, user.Email!);
        var plain = await CodeStepAsync(unticked, CodeAt(portal, key));
        Assert.DoesNotContain(plain.Headers.GetValues("Set-Cookie"), c => c.Contains("2fa-browser"));
        NextStep(portal);
        Assert.StartsWith("/login/code", await PasswordAgainAsync(unticked, user.Email!));
    }

    [Fact]
    public async Task A_password_change_turning_two_factor_off_and_on_again_or_the_thirtieth_day_ends_the_remembering()
    {
        var (user, key) = await EnrolledUserAsync();

        using (var changed = await RememberedAsync(portal, user.Email!, key))
        {
            const string newPassword = "amber lantern orchard pivot";
            var response = await changed.SubmitAsync("/user/password", new() { ["Input.CurrentPassword"] = PortalFixture.Password, ["Input.NewPassword"] = newPassword, ["Input.ConfirmPassword"] = newPassword });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            await changed.SubmitAsync("/user/profile", [], "form[action='/logout']");
            var again = await changed.SubmitAsync("/login", new() { ["Input.Email"] = user.Email!, ["Input.Password"] = newPassword });
            Assert.StartsWith("/login/code", again.Headers.Location!.PathAndQuery());
            Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(changed, CodeAt(portal, key))).StatusCode);
            NextStep(portal);
            var back = await changed.SubmitAsync("/user/password", new() { ["Input.CurrentPassword"] = newPassword, ["Input.NewPassword"] = PortalFixture.Password, ["Input.ConfirmPassword"] = PortalFixture.Password });
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        }

        using (var aged = await RememberedAsync(portal, user.Email!, key))
        {
            portal.Factory.Time.Advance(TimeSpan.FromDays(29));
            Assert.Equal("/dashboard", await PasswordAgainAsync(aged, user.Email!));
            portal.Factory.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            Assert.StartsWith("/login/code", await PasswordAgainAsync(aged, user.Email!));
            Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(aged, CodeAt(portal, key))).StatusCode);
            NextStep(portal);
        }

        using var reenrolled = await RememberedAsync(portal, user.Email!, key);
        var off = await reenrolled.SubmitAsync("/user/security", new() { ["DisableInput.Password"] = PortalFixture.Password }, "form[data-disable-two-factor]");
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        var (newKey, _) = await EnrolAsync(portal, reenrolled);
        Assert.StartsWith("/login/code", await PasswordAgainAsync(reenrolled, user.Email!));
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(reenrolled, CodeAt(portal, newKey))).StatusCode);
    }
}
