using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Identity;

namespace Portal.Tests.Security;

/// <summary>
/// A cookie copied out of a browser and replayed from another one, after each event that must end or narrow the
/// session on the server (SECURITY.md attack case 8), and the lifetimes SessionTests does not cover yet.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class SessionReplayTests(PortalFixture portal)
{
    private static void AssertSentToLogin(HttpResponseMessage response, string login = "/login")
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(login, response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task A_form_post_replayed_after_logout_changes_nothing()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Replayed Post Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/account/users/invite");
        var cookie = browser.CookieHeader();
        await browser.SubmitAsync("/dashboard", [], "form[action='/logout']");

        var invited = PortalFixture.UniqueEmail("after-logout");
        var response = await portal.ReplayCookieAsync(cookie, "/account/users/invite",
            [new("__RequestVerificationToken", token), new("Input.Email", invited), new("Input.AllPermissions", "true")]);

        AssertSentToLogin(response);
        Assert.False(await portal.WithDbAsync(db => db.Invitations.AnyAsync(i => i.ClientId == client.Id)));
        Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == invited)));
    }

    [Fact]
    public async Task A_password_reset_refuses_the_replayed_cookie_of_every_session_and_the_new_login_works()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var laptop = await portal.LoginAsync(owner.Email!);
        using var phone = await portal.LoginAsync(owner.Email!);
        var laptopCookie = laptop.CookieHeader();
        var phoneCookie = phone.CookieHeader();
        Assert.Equal(HttpStatusCode.OK, (await portal.ReplayCookieAsync(laptopCookie, "/dashboard")).StatusCode);

        // This branch has no password reset page yet. This is what a reset does to sessions: a new security stamp
        // (every cookie issued before carries the old one) and every session row of the user revoked on the server.
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = await users.FindByIdAsync(owner.Id.ToString());
            Assert.True((await users.UpdateSecurityStampAsync(user!)).Succeeded);
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().RevokeAllForUserAsync(owner.Id, portal.Factory.Time.GetUtcNow());
        }

        AssertSentToLogin(await portal.ReplayCookieAsync(laptopCookie, "/dashboard"));
        AssertSentToLogin(await portal.ReplayCookieAsync(phoneCookie, "/account/users"));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == owner.Id && s.RevokedAt == null)));
        using var fresh = await portal.LoginAsync(owner.Email!);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/dashboard")).Status);
    }

    [Fact]
    public async Task Removing_access_on_the_owners_page_takes_that_account_from_a_replayed_cookie_and_leaves_the_others()
    {
        var (owner, removedFrom) = await portal.CreateOwnerAsync("Removed From Co");
        var member = await portal.CreateUserAsync(firstName: "Rita");
        await portal.AssociateAsync(removedFrom.Id, member.Id, Permission.Tickets);
        var kept = await portal.CreateClientAsync(member.Id, "Kept Co");
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var chooser = await memberBrowser.GetAsync("/user/accounts");
        await memberBrowser.SubmitAsync(chooser, [], $"li[data-client-id='{removedFrom.Id}'] form");
        Assert.Contains("Removed From Co", (await memberBrowser.GetAsync("/dashboard")).Text);
        var cookie = memberBrowser.CookieHeader();

        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var removed = await ownerBrowser.SubmitAsync($"/account/users/{member.Id}/remove", []);
        Assert.Equal("/account/users", removed.Headers.Location!.PathAndQuery());

        var dashboard = await portal.ReplayCookieAsync(cookie, "/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/user/accounts", dashboard.Headers.Location!.PathAndQuery());
        var accounts = await portal.ReplayCookieAsync(cookie, "/user/accounts");
        var page = await Page.ReadAsync(accounts);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.Document.QuerySelector($"li[data-client-id='{removedFrom.Id}']"));
        Assert.NotNull(page.Document.QuerySelector($"li[data-client-id='{kept.Id}']"));
    }

    [Fact]
    public async Task Lowering_permissions_on_the_manage_permissions_page_applies_to_a_replayed_cookie()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Lowered Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Profile, Permission.Tickets);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.OK, (await memberBrowser.GetAsync("/account/profile")).Status);
        var cookie = memberBrowser.CookieHeader();

        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var form = await ownerBrowser.GetAsync($"/account/users/{member.Id}/permissions");
        var lowered = await ownerBrowser.PostAsync($"/account/users/{member.Id}/permissions",
        [
            new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Version", form.Document.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!),
            new("Input.Permissions", "tickets"),
        ]);
        Assert.Equal("/account/users", lowered.Headers.Location!.PathAndQuery());

        Assert.Equal(HttpStatusCode.Forbidden, (await portal.ReplayCookieAsync(cookie, "/account/profile")).StatusCode);
        var dashboard = await Page.ReadAsync(await portal.ReplayCookieAsync(cookie, "/dashboard"));
        Assert.Equal(["View & Open Support Tickets"], dashboard.Document.QuerySelectorAll("[data-permissions] li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task Deleting_the_user_through_the_database_refuses_the_replayed_cookie_of_every_session()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var first = await portal.LoginAsync(member.Email!);
        using var second = await portal.LoginAsync(member.Email!);
        var cookies = new[] { first.CookieHeader(), second.CookieHeader() };

        await portal.WithDbAsync(async db =>
        {
            db.Users.Remove(await db.Users.SingleAsync(u => u.Id == member.Id));
            await db.SaveChangesAsync();
        });

        foreach (var cookie in cookies)
        {
            AssertSentToLogin(await portal.ReplayCookieAsync(cookie, "/dashboard"));
            AssertSentToLogin(await portal.ReplayCookieAsync(cookie, "/user/accounts"));
        }

        Assert.False(await portal.WithDbAsync(db => db.Sessions.AnyAsync(s => s.UserId == member.Id)));
    }

    [Fact]
    public async Task Deleting_the_client_through_the_database_refuses_its_replayed_cookies_for_owner_and_member()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Deleted Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets, Permission.Profile);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var cookies = new[] { ownerBrowser.CookieHeader(), memberBrowser.CookieHeader() };
        foreach (var cookie in cookies)
        {
            Assert.Contains("Deleted Co", await (await portal.ReplayCookieAsync(cookie, "/dashboard")).Content.ReadAsStringAsync());
        }

        await portal.WithDbAsync(async db =>
        {
            db.Clients.Remove(await db.Clients.SingleAsync(c => c.Id == client.Id));
            await db.SaveChangesAsync();
        });

        foreach (var cookie in cookies)
        {
            foreach (var path in new[] { "/dashboard", "/account/profile", "/account/users" })
            {
                var response = await portal.ReplayCookieAsync(cookie, path);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/user/accounts", response.Headers.Location!.PathAndQuery());
            }

            var accounts = await portal.ReplayCookieAsync(cookie, "/user/accounts");
            Assert.DoesNotContain("Deleted Co", await accounts.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_remembered_session_in_use_lasts_seven_days_and_not_a_minute_longer()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        var cookie = await RememberedLoginAsync(owner.Email!);
        var started = portal.Factory.Time.GetUtcNow();
        var step = TimeSpan.FromMinutes(110);

        // Used every 110 minutes: past the 12 hours of an ordinary session, up to the seven days of "remember me".
        while (portal.Factory.Time.GetUtcNow() + step < started + TimeSpan.FromDays(7))
        {
            portal.Factory.Time.Advance(step);
            var response = await portal.ReplayCookieAsync(cookie.Header, "/dashboard");
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"refused after {portal.Factory.Time.GetUtcNow() - started} with {(int)response.StatusCode}");
            cookie.Update(response);
        }

        portal.Factory.Time.SetUtcNow(started + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        AssertSentToLogin(await portal.ReplayCookieAsync(cookie.Header, "/dashboard"));
    }

    [Fact]
    public async Task A_remembered_session_left_unused_for_days_is_still_signed_in_until_it_is_revoked()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        var cookie = await RememberedLoginAsync(owner.Email!);

        // "Remember me for 7 days": two idle hours end an ordinary session, not this one.
        portal.Factory.Time.Advance(TimeSpan.FromDays(3));
        var alive = await portal.ReplayCookieAsync(cookie.Header, "/dashboard");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        cookie.Update(alive);

        // Still revocable on the server: a password reset ends every session of the user.
        await portal.WithDbAsync(db => db.RevokeAllForUserAsync(owner.Id, portal.Factory.Time.GetUtcNow()));

        AssertSentToLogin(await portal.ReplayCookieAsync(cookie.Header, "/dashboard"));
    }

    [Fact]
    public async Task A_remembered_session_left_unused_ends_after_seven_days()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        var cookie = await RememberedLoginAsync(owner.Email!);
        var started = portal.Factory.Time.GetUtcNow();

        portal.Factory.Time.SetUtcNow(started + TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var alive = await portal.ReplayCookieAsync(cookie.Header, "/dashboard");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        cookie.Update(alive);

        portal.Factory.Time.SetUtcNow(started + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        AssertSentToLogin(await portal.ReplayCookieAsync(cookie.Header, "/dashboard"));
    }

    [Fact]
    public async Task An_admin_session_left_idle_for_thirty_minutes_is_refused()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(25));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin")).StatusCode);
        var cookie = admin.CookieHeader("/admin");

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(31));

        AssertSentToLogin(await portal.ReplayCookieAsync(cookie, "/admin"), "/admin/login");
        AssertSentToLogin(await admin.Client.GetAsync("/admin/clients"), "/admin/login");
    }

    [Fact]
    public async Task An_admin_session_in_use_ends_after_twelve_hours()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var started = portal.Factory.Time.GetUtcNow();
        var step = TimeSpan.FromMinutes(25);
        while (portal.Factory.Time.GetUtcNow() + step < started + TimeSpan.FromHours(12))
        {
            portal.Factory.Time.Advance(step);
            var response = await admin.Client.GetAsync("/admin");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"refused after {portal.Factory.Time.GetUtcNow() - started}");
        }

        portal.Factory.Time.SetUtcNow(started + TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));

        AssertSentToLogin(await admin.Client.GetAsync("/admin"), "/admin/login");
    }

    /// <summary>
    /// Logs in with "remember me" and keeps the cookie by hand: its expiry date comes from the test clock, which is
    /// behind the machine's, so a CookieContainer would throw it away as already expired.
    /// </summary>
    private async Task<ReplayedCookie> RememberedLoginAsync(string email)
    {
        using var browser = portal.NewBrowser();
        var response = await browser.SubmitAsync("/login", new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password, ["Input.RememberMe"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = new ReplayedCookie();
        cookie.Update(response);
        Assert.Contains("expires=", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-portal=")), StringComparison.OrdinalIgnoreCase);
        return cookie;
    }

    private sealed class ReplayedCookie
    {
        public string Header { get; private set; } = "";

        public void Update(HttpResponseMessage response)
        {
            if (response.Headers.TryGetValues("Set-Cookie", out var values)
                && values.FirstOrDefault(v => v.StartsWith("__Host-portal=")) is { } setCookie)
            {
                Header = setCookie.Split(';')[0];
            }
        }
    }
}
