using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

/// <summary>The user's own sessions at /user/security, and the admin's view of them on Manage User.</summary>
[Collection(IdentityCollection.Name)]
public sealed class UserSessionsTests(PortalFixture portal)
{
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private async Task<Browser> SignInWithAsync(string email, string userAgent)
    {
        var browser = portal.NewBrowser();
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var response = await browser.SubmitAsync("/login", new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private static async Task<bool> IsSignedInAsync(Browser browser)
    {
        using var response = await browser.Client.GetAsync("/user/profile");
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task The_page_lists_each_signed_in_browser_with_its_system_and_address_and_marks_this_one()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var laptop = await SignInWithAsync(user.Email!, Firefox);
        using var phone = await SignInWithAsync(user.Email!, Safari);

        var page = await laptop.GetAsync("/user/security");

        var rows = page.Document.QuerySelectorAll("[data-sessions] tr[data-session]").ToList();
        Assert.Equal(2, rows.Count);
        Assert.NotNull(rows[0].GetAttribute("data-current"));
        Assert.StartsWith("Firefox on Windows", rows[0].Children[0].TextContent.Trim());
        Assert.Contains("This session", rows[0].TextContent);
        Assert.Null(rows[0].QuerySelector("form[data-sign-out-session]"));
        Assert.StartsWith("Safari on iOS", rows[1].Children[0].TextContent.Trim());
        Assert.Null(rows[1].GetAttribute("data-current"));
        Assert.Equal(phone.Ip, rows[1].Children[1].TextContent.Trim());
        Assert.NotNull(rows[1].QuerySelector("form[data-sign-out-session]"));

        // The page names sessions by a handle, never by the id the cookies carry.
        var ids = await portal.WithDbAsync(db => db.Sessions.Where(s => s.UserId == user.Id).Select(s => s.Id).ToListAsync());
        Assert.All(ids, id => Assert.DoesNotContain(id, page.Document.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Signing_out_one_session_refuses_that_browsers_next_request_and_keeps_the_others()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var laptop = await SignInWithAsync(user.Email!, Firefox);
        using var phone = await SignInWithAsync(user.Email!, Safari);
        using var desktop = await SignInWithAsync(user.Email!, Chrome);

        var page = await laptop.GetAsync("/user/security");
        var phoneIndex = page.Document.QuerySelectorAll("tr[data-session]").ToList().FindIndex(r => r.TextContent.Contains("Safari on iOS"));
        Assert.True(phoneIndex >= 0);

        var response = await laptop.SubmitAsync(page, [], $"tr[data-session]:nth-child({phoneIndex + 1}) form[data-sign-out-session]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await IsSignedInAsync(phone));
        Assert.True(await IsSignedInAsync(laptop));
        Assert.True(await IsSignedInAsync(desktop));
        var after = await laptop.GetAsync("/user/security");
        Assert.Equal(2, after.Document.QuerySelectorAll("tr[data-session]").Length);
        Assert.DoesNotContain("Safari on iOS", after.Document.QuerySelector("[data-sessions] table")!.TextContent);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.StartsWith("Signed out a session of"))));
    }

    [Fact]
    public async Task Signing_out_everywhere_else_refuses_every_other_browser_and_keeps_this_one()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        var (stranger, _) = await portal.CreateOwnerAsync();
        using var laptop = await SignInWithAsync(user.Email!, Firefox);
        using var phone = await SignInWithAsync(user.Email!, Safari);
        using var desktop = await SignInWithAsync(user.Email!, Chrome);
        using var someoneElse = await SignInWithAsync(stranger.Email!, Chrome);

        var response = await laptop.SubmitAsync("/user/security", [], "form[data-sign-out-others]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("2 sessions ended", (await laptop.FollowAsync(response)).Document.QuerySelector("[data-flash]")!.TextContent);
        Assert.False(await IsSignedInAsync(phone));
        Assert.False(await IsSignedInAsync(desktop));
        Assert.True(await IsSignedInAsync(laptop));
        Assert.True(await IsSignedInAsync(someoneElse));
    }

    [Fact]
    public async Task A_handle_of_another_users_session_or_of_this_one_ends_nothing()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        var (other, _) = await portal.CreateOwnerAsync();
        using var mine = await SignInWithAsync(user.Email!, Firefox);
        using var theirs = await SignInWithAsync(other.Email!, Safari);
        var ids = await portal.WithDbAsync(db => db.Sessions.Where(s => s.UserId == other.Id || s.UserId == user.Id).Select(s => s.Id).ToListAsync());
        var token = await mine.AntiforgeryTokenAsync("/user/security");

        foreach (var id in ids)
        {
            foreach (var value in new[] { SessionList.HandleOf(id), id })
            {
                using var response = await mine.PostAsync("/user/security?handler=SignOut", [new("__RequestVerificationToken", token), new("SignOutInput.Session", value)]);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Contains(SignOutSession.Gone, (await mine.FollowAsync(response)).Document.QuerySelector("[data-flash-warning]")!.TextContent);
            }
        }

        Assert.True(await IsSignedInAsync(mine));
        Assert.True(await IsSignedInAsync(theirs));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Sessions.CountAsync(s => ids.Contains(s.Id) && s.RevokedAt != null)));
    }

    [Fact]
    public async Task Manage_user_lists_the_users_sessions_and_ends_one_of_them()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var laptop = await SignInWithAsync(user.Email!, Firefox);
        using var phone = await SignInWithAsync(user.Email!, Safari);
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/users/{user.Id}");
        var rows = page.Document.QuerySelectorAll("[data-user-sessions] tr[data-session]").ToList();
        Assert.Equal(2, rows.Count);
        var phoneIndex = rows.FindIndex(r => r.TextContent.Contains("Safari on iOS"));
        Assert.True(phoneIndex >= 0);
        var response = await admin.SubmitAsync(page, [], $"[data-user-sessions] tr[data-session]:nth-child({phoneIndex + 1}) form[data-end-session]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await IsSignedInAsync(phone));
        Assert.True(await IsSignedInAsync(laptop));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.AdminId != null && e.Description.StartsWith($"Ended a session of user {user.Email}"))));
        var again = await admin.SubmitAsync(page, [], $"[data-user-sessions] tr[data-session]:nth-child({phoneIndex + 1}) form[data-end-session]");
        Assert.Contains(EndSession.Gone, (await admin.FollowAsync(again)).Document.QuerySelector("[data-flash-warning]")!.TextContent);
    }

    [Fact]
    public async Task A_sign_in_from_a_browser_new_to_the_login_is_mailed_with_its_time_address_and_browser()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        Task<List<string>> NoticesAsync() => portal.WithDbAsync(db => db.EmailMessages.Where(m => m.UserId == user.Id && m.Kind == "NewBrowserSignIn").Select(m => m.TextBody).ToListAsync());

        using var laptop = await SignInWithAsync(user.Email!, Firefox);
        Assert.Empty(await NoticesAsync());
        await laptop.SubmitAsync("/user/profile", [], "form[action='/logout']");
        var again = await laptop.SubmitAsync("/login", new() { ["Input.Email"] = user.Email!, ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Empty(await NoticesAsync());

        using var phone = await SignInWithAsync(user.Email!, Safari);

        var notice = Assert.Single(await NoticesAsync());
        Assert.Contains("Safari on iOS", notice);
        Assert.Contains(phone.Ip, notice);
        Assert.Contains(portal.Factory.Time.GetUtcNow().ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture), notice);
        Assert.Contains("If this was not you", notice);
        Assert.Contains("/user/security", notice);
    }
}
