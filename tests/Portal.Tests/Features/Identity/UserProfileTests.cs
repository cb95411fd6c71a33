using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class UserProfileTests(PortalFixture portal)
{
    private const string NewPassword = "walnut compass drizzle tangerine";

    private Task<string?> EmailOfAsync(int userId) => portal.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync());

    private static Task<HttpResponseMessage> SaveProfileAsync(Browser browser, Dictionary<string, string> values) =>
        browser.SubmitAsync("/user/profile", values);

    private async Task<HttpStatusCode> LoginStatusAsync(string email, string password = PortalFixture.Password)
    {
        using var browser = portal.NewBrowser();
        return (await browser.SubmitAsync("/login", new() { ["Input.Email"] = email, ["Input.Password"] = password })).StatusCode;
    }

    [Fact]
    public async Task The_hello_menu_leads_to_the_profile_and_password_pages()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var page = await browser.GetAsync("/user/accounts");
        var menu = page.Document.QuerySelector("[aria-labelledby=hello-menu]")!;
        Assert.NotNull(menu.QuerySelector("a[href='/user/profile']"));
        Assert.NotNull(menu.QuerySelector("a[href='/user/password']"));
    }

    [Fact]
    public async Task A_new_name_is_saved_and_logged_without_a_password()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);

        var response = await SaveProfileAsync(browser, new() { ["Input.FirstName"] = "Renata", ["Input.LastName"] = "Quill" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await browser.FollowAsync(response);
        Assert.Equal("Renata", page.Document.QuerySelector("input[name='Input.FirstName']")!.GetAttribute("value"));
        Assert.Contains("Hello, Renata!", page.Text);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.Contains("first name from Test to Renata"))));
    }

    [Theory]
    [InlineData("", UserProfile.PasswordNeeded)]
    [InlineData("not my password at all", UserProfile.WrongPassword)]
    public async Task Changing_the_email_needs_the_current_password(string password, string message)
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var newEmail = PortalFixture.UniqueEmail("moved");

        var page = await Page.ReadAsync(await SaveProfileAsync(browser, new() { ["Input.Email"] = newEmail, ["Input.CurrentPassword"] = password }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(message, page.ErrorFor("Input.CurrentPassword"));
        Assert.Equal(user.Email, await EmailOfAsync(user.Id));
        Assert.Empty(await portal.MessagesToAsync(newEmail));
    }

    [Fact]
    public async Task An_address_another_login_uses_gets_the_answer_a_free_one_gets_and_its_owner_is_told_instead()
    {
        var user = await portal.CreateUserAsync();
        var other = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var free = PortalFixture.UniqueEmail("free");

        var takenAnswer = await SaveProfileAsync(browser, new() { ["Input.Email"] = other.Email!.ToUpperInvariant(), ["Input.CurrentPassword"] = PortalFixture.Password });
        var takenPage = await browser.FollowAsync(takenAnswer);
        var secondUser = await portal.CreateUserAsync();
        using var second = await portal.LoginAsync(secondUser.Email!);
        var freeAnswer = await SaveProfileAsync(second, new() { ["Input.Email"] = free, ["Input.CurrentPassword"] = PortalFixture.Password });
        var freePage = await second.FollowAsync(freeAnswer);

        Assert.Equal(freeAnswer.StatusCode, takenAnswer.StatusCode);
        Assert.Equal(freeAnswer.Headers.Location, takenAnswer.Headers.Location);
        Assert.Equal(
            freePage.Document.QuerySelector("[data-flash]")!.TextContent.Replace(free, "ADDRESS").Replace(secondUser.Email!, "OWN"),
            takenPage.Document.QuerySelector("[data-flash]")!.TextContent.Replace(other.Email!.ToUpperInvariant(), "ADDRESS").Replace(user.Email!, "OWN"));
        Assert.Contains(other.Email!.ToUpperInvariant(), takenPage.Document.QuerySelector("[data-pending-email]")!.TextContent);
        Assert.Equal(user.Email, await EmailOfAsync(user.Id));
        Assert.Equal(other.Email, await EmailOfAsync(other.Id));

        var toOther = Assert.Single(await portal.MessagesToAsync(other.Email!));
        Assert.Equal("AddressInUse", toOther.Kind);
        Assert.Contains("nothing changed", toOther.TextBody);
        Assert.Null(Mailbox.LinkIn(toOther, "/user/verify-email"));
        Assert.Single(await portal.MessagesToAsync(user.Email!), m => m.Subject.Contains("change of your Portal login address"));
    }

    [Fact]
    public async Task A_new_email_takes_effect_only_when_verified_and_the_old_one_works_until_then()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var newEmail = PortalFixture.UniqueEmail("moved");

        var response = await SaveProfileAsync(browser, new() { ["Input.Email"] = newEmail, ["Input.CurrentPassword"] = PortalFixture.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var profile = await browser.FollowAsync(response);
        Assert.Contains(newEmail, profile.Document.QuerySelector("[data-pending-email]")!.TextContent);
        Assert.Equal(user.Email, await EmailOfAsync(user.Id));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(user.Email!));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(newEmail));
        var notice = Assert.Single(await portal.MessagesToAsync(user.Email!), m => m.Subject.Contains("change of your Portal login address"));
        Assert.Contains(newEmail, notice.TextBody);
        Assert.Null(Mailbox.LinkIn(notice, "/user/verify-email"));
        var link = Mailbox.LinkIn(Assert.Single(await portal.MessagesToAsync(newEmail)), "/user/verify-email")!;

        var verified = await browser.SubmitAsync(await browser.GetAsync(link), []);

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Equal(newEmail, await EmailOfAsync(user.Id));
        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.EmailConfirmed).SingleAsync()));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(newEmail));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(user.Email!));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/user/profile")).Status);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.Contains($"changed their email address to {newEmail}"))));

        var again = await Page.ReadAsync(await browser.SubmitAsync(await browser.GetAsync(link), []));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.NotNull(again.Document.QuerySelector("[data-verify-failed]"));
    }

    [Fact]
    public async Task A_new_login_address_kills_reset_links_sent_before_and_ends_every_other_session()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        using var other = await portal.LoginAsync(user.Email!);
        using (var visitor = portal.NewBrowser())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await visitor.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! })).StatusCode);
        }

        var oldResetLink = await portal.LatestResetLinkAsync(user.Email!);
        var newEmail = PortalFixture.UniqueEmail("moved");
        await SaveProfileAsync(browser, new() { ["Input.Email"] = newEmail, ["Input.CurrentPassword"] = PortalFixture.Password });
        var link = Mailbox.LinkIn(Assert.Single(await portal.MessagesToAsync(newEmail)), "/user/verify-email")!;

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(await browser.GetAsync(link), [])).StatusCode);

        Assert.Equal(newEmail, await EmailOfAsync(user.Id));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/user/profile")).Status);
        var refused = await other.Client.GetAsync("/user/profile");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery());
        using var stranger = portal.NewBrowser();
        var reset = await stranger.GetAsync(oldResetLink);
        Assert.NotNull(reset.Document.QuerySelector("[data-invalid-link]"));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri(PortalFactory.BaseUrl), oldResetLink).Query);
        var used = await stranger.PostAsync("/password/reset", [
            new("__RequestVerificationToken", await stranger.AntiforgeryTokenAsync("/password/forgot")),
            new("Input.UserId", query["user"].ToString()), new("Input.Token", query["token"].ToString()),
            new("Input.Password", NewPassword), new("Input.ConfirmPassword", NewPassword)]);
        Assert.NotEqual(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(newEmail, NewPassword));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(newEmail));
    }

    [Fact]
    public async Task The_verification_link_of_a_new_email_stops_working_after_sixty_minutes()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var newEmail = PortalFixture.UniqueEmail("late");
        await SaveProfileAsync(browser, new() { ["Input.Email"] = newEmail, ["Input.CurrentPassword"] = PortalFixture.Password });
        var link = Mailbox.LinkIn(Assert.Single(await portal.MessagesToAsync(newEmail)), "/user/verify-email")!;
        var page = await browser.GetAsync(link);

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        var expired = await Page.ReadAsync(await browser.SubmitAsync(page, []));

        Assert.NotNull(expired.Document.QuerySelector("[data-verify-failed]"));
        Assert.Equal(user.Email, await EmailOfAsync(user.Id));
    }

    [Fact]
    public async Task A_newer_change_request_makes_the_older_link_worthless()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var first = PortalFixture.UniqueEmail("first");
        var second = PortalFixture.UniqueEmail("second");
        await SaveProfileAsync(browser, new() { ["Input.Email"] = first, ["Input.CurrentPassword"] = PortalFixture.Password });
        await SaveProfileAsync(browser, new() { ["Input.Email"] = second, ["Input.CurrentPassword"] = PortalFixture.Password });
        var firstLink = Mailbox.LinkIn(Assert.Single(await portal.MessagesToAsync(first)), "/user/verify-email")!;

        var refused = await Page.ReadAsync(await browser.SubmitAsync(await browser.GetAsync(firstLink), []));

        Assert.NotNull(refused.Document.QuerySelector("[data-verify-failed]"));
        Assert.Equal(user.Email, await EmailOfAsync(user.Id));
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);

        var page = await Page.ReadAsync(await browser.SubmitAsync("/user/password", new()
        {
            ["Input.CurrentPassword"] = "not my password at all", ["Input.NewPassword"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword,
        }));

        Assert.Equal(ChangePassword.WrongPassword, page.ErrorFor("Input.CurrentPassword"));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(user.Email!));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(user.Email!, NewPassword));
        // The only mail is the notice of the later log-in from another browser (LoginStatusAsync's), never a password notice.
        Assert.DoesNotContain(await portal.MessagesToAsync(user.Email!), m => m.Kind != "NewBrowserSignIn");
    }

    [Fact]
    public async Task A_password_change_ends_other_sessions_keeps_this_one_and_sends_a_notice()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        using var other = await portal.LoginAsync(user.Email!);

        var response = await browser.SubmitAsync("/user/password", new()
        {
            ["Input.CurrentPassword"] = PortalFixture.Password, ["Input.NewPassword"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/user/profile")).Status);
        var refused = await other.Client.GetAsync("/user/profile");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery());
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(user.Email!));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(user.Email!, NewPassword));
        Assert.Contains(await portal.MessagesToAsync(user.Email!), m => m.Subject == "Your Portal password was changed" && m.TextBody.Contains("every other device"));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.Contains("changed their password"))));
    }

    [Fact]
    public async Task A_weak_new_password_is_refused()
    {
        var user = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(user.Email!);

        var page = await Page.ReadAsync(await browser.SubmitAsync("/user/password", new()
        {
            ["Input.CurrentPassword"] = PortalFixture.Password, ["Input.NewPassword"] = "password1234", ["Input.ConfirmPassword"] = "password1234",
        }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.ErrorFor("Input.NewPassword"));
        Assert.Equal(HttpStatusCode.Redirect, await LoginStatusAsync(user.Email!));
    }
}
