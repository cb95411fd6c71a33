using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;

namespace Portal.Tests.Security;

/// <summary>
/// Lockout stops a stranger guessing passwords without becoming a way to keep the owner out: the owner's known browser
/// still signs in, the owner is told by e-mail (once per lockout) and a password reset lifts the lock.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class LockoutTests(PortalFixture portal)
{
    private const string NewPassword = "granite orchard lantern puzzle";

    private static Dictionary<string, string> Credentials(string email, string password = PortalFixture.Password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    /// <summary>A browser holding only the known-browser cookie of <paramref name="signedIn"/>: the owner's own browser, signed out.</summary>
    private Browser KnownBrowserOf(Browser signedIn)
    {
        var known = portal.NewBrowser();
        var base_ = new Uri(PortalFactory.BaseUrl);
        foreach (var cookie in signedIn.Cookies.GetAllCookies().Where(c => c.Name.Contains("device", StringComparison.Ordinal)))
        {
            known.Cookies.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, base_.Host) { Secure = true, HttpOnly = true });
        }

        Assert.NotEmpty(known.Cookies.GetAllCookies());
        return known;
    }

    private async Task LockAsync(string page, string email, int failures = LockoutPolicy.MaxFailedAttempts)
    {
        for (var i = 0; i < failures; i++)
        {
            using var stranger = portal.NewBrowser();
            Assert.Equal(HttpStatusCode.OK, (await stranger.SubmitAsync(page, Credentials(email, $"stranger guess {i} wrong"))).StatusCode);
        }
    }

    [Fact]
    public async Task A_locked_out_user_still_signs_in_from_a_browser_they_used_before_but_a_stranger_does_not()
    {
        var (user, _) = await portal.CreateOwnerAsync("Locked Co");
        using var usual = await portal.LoginAsync(user.Email!);
        using var known = KnownBrowserOf(usual);

        await LockAsync("/login", user.Email!);

        using (var stranger = portal.NewBrowser())
        {
            var refused = await stranger.SubmitAsync("/login", Credentials(user.Email!));
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Login details incorrect", (await Page.ReadAsync(refused)).Text);
        }

        var response = await known.SubmitAsync("/login", Credentials(user.Email!));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task A_known_browser_that_keeps_failing_is_stopped_by_the_lockout_too()
    {
        var (user, _) = await portal.CreateOwnerAsync("Stolen Cookie Co");
        using var usual = await portal.LoginAsync(user.Email!);
        using var known = KnownBrowserOf(usual);
        await LockAsync("/login", user.Email!);

        for (var i = 0; i < LockoutPolicy.MaxFailedAttempts; i++)
        {
            await known.SubmitAsync("/login", Credentials(user.Email!, $"known guess {i} wrong"));
        }

        Assert.Equal(HttpStatusCode.OK, (await known.SubmitAsync("/login", Credentials(user.Email!))).StatusCode);
    }

    [Fact]
    public async Task The_user_is_emailed_once_per_lockout_and_its_reset_link_lifts_the_lock()
    {
        var (user, _) = await portal.CreateOwnerAsync("Mailed Lock Co");

        await LockAsync("/login", user.Email!, LockoutPolicy.MaxFailedAttempts + 5);

        var mail = Assert.Single(await portal.MessagesToAsync(user.Email!), m => m.Subject.EndsWith("login was locked after failed attempts") && !m.Subject.Contains("admin"));
        Assert.Contains("someone may be trying to guess your password", mail.TextBody);
        var link = Mailbox.LinkIn(mail, "/password/reset");
        Assert.NotNull(link);

        using var owner = portal.NewBrowser();
        var reset = await owner.SubmitAsync(link!, new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);

        var stored = await portal.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id));
        Assert.Null(stored.LockoutEnd);
        Assert.Equal(0, stored.AccessFailedCount);
        using var anywhere = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await anywhere.SubmitAsync("/login", Credentials(user.Email!, NewPassword))).StatusCode);
    }

    [Fact]
    public async Task A_reset_from_forgot_password_also_clears_the_failed_count()
    {
        var (user, _) = await portal.CreateOwnerAsync("Counted Co");
        await LockAsync("/login", user.Email!, LockoutPolicy.MaxFailedAttempts - 1);

        using var owner = portal.NewBrowser();
        await owner.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! });
        await owner.SubmitAsync(await portal.LatestResetLinkAsync(user.Email!), new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });

        // One more stranger's failure would have locked the account had the count survived the reset.
        await LockAsync("/login", user.Email!, 1);
        using var anywhere = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await anywhere.SubmitAsync("/login", Credentials(user.Email!, NewPassword))).StatusCode);
    }

    [Fact]
    public async Task A_locked_out_admin_still_signs_in_from_a_browser_used_before_and_is_emailed_once()
    {
        var email = PortalFixture.UniqueEmail("locked-admin");
        await portal.SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = email, FirstName = "Lock", LastName = "Admin", Password = PortalFixture.Password });
        using var usual = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await usual.SubmitAsync("/admin/login", Credentials(email))).StatusCode);
        using var known = KnownBrowserOf(usual);

        await LockAsync("/admin/login", email, LockoutPolicy.MaxFailedAttempts + 3);

        using (var stranger = portal.NewBrowser())
        {
            Assert.Equal(HttpStatusCode.OK, (await stranger.SubmitAsync("/admin/login", Credentials(email))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await known.SubmitAsync("/admin/login", Credentials(email))).StatusCode);
        Assert.Single(await portal.MessagesToAsync(email), m => m.Subject.EndsWith("admin login was locked after failed attempts"));

        // The lock ends on its own after the lockout period, for everyone.
        portal.Factory.Time.Advance(LockoutPolicy.Duration + TimeSpan.FromMinutes(1));
        using var later = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await later.SubmitAsync("/admin/login", Credentials(email))).StatusCode);
    }

    [Fact]
    public async Task A_known_browser_cookie_of_another_login_does_not_lift_the_lockout()
    {
        var (victim, _) = await portal.CreateOwnerAsync("Victim Co");
        var (other, _) = await portal.CreateOwnerAsync("Other Co");
        using var othersBrowser = await portal.LoginAsync(other.Email!);
        using var known = KnownBrowserOf(othersBrowser);
        await LockAsync("/login", victim.Email!);

        Assert.Equal(HttpStatusCode.OK, (await known.SubmitAsync("/login", Credentials(victim.Email!))).StatusCode);
    }
}
