using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Features.Settings;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Features.Identity.TwoFactorSteps;

namespace Portal.Tests.Features.Identity;

/// <summary>Admins' second factor at /admin/security, its enforcement setting, and an admin turning off a user's.</summary>
[Collection(IdentityCollection.Name)]
public sealed class AdminTwoFactorTests(PortalFixture portal)
{
    private Task RequireAsync(bool required) => portal.WithDbAsync(async db =>
    {
        await new SystemSettings(db).SetAsync(SystemSettings.AdminTwoFactorKey, required ? "true" : "false");
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task With_the_setting_on_an_admin_without_a_second_factor_is_sent_to_enrol_before_any_other_admin_page()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        await RequireAsync(true);
        try
        {
            foreach (var path in new[] { "/admin", "/admin/users", "/admin/clients", "/admin/settings", "/admin/activity", "/admin/jobs", "/admin/jobs/recurring" })
            {
                using var response = await admin.Client.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal("/admin/security", response.Headers.Location!.PathAndQuery());
            }

            var token = await admin.AntiforgeryTokenAsync("/admin/security");
            using (var post = await admin.PostAsync("/admin/settings", [new("__RequestVerificationToken", token), new("Input.InvitationValidityDays", "30"), new("Input.DefaultTimeZone", "UTC")]))
            {
                Assert.Equal("/admin/security", post.Headers.Location!.PathAndQuery());
            }

            Assert.NotNull((await admin.GetAsync("/admin/security")).Document.QuerySelector("[data-two-factor-required]"));
            await EnrolAsync(portal, admin, "/admin/security");

            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).Status);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/jobs")).Status);
        }
        finally
        {
            await RequireAsync(false);
        }
    }

    [Fact]
    public async Task An_enrolled_admin_logs_in_with_a_code_after_the_password_and_the_half_signed_in_cookie_opens_nothing()
    {
        var email = PortalFixture.UniqueEmail("admin2fa");
        await portal.SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = email, FirstName = "Ada", LastName = "Admin", Password = PortalFixture.Password });
        string key;
        IReadOnlyList<string> codes;
        using (var first = portal.NewBrowser())
        {
            await first.SubmitAsync("/admin/login", new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password });
            (key, codes) = await EnrolAsync(portal, first, "/admin/security");
        }

        using var browser = await PasswordStepAsync(portal, email, "/admin/login");
        foreach (var path in new[] { "/admin", "/admin/security", "/admin/users" })
        {
            using var response = await browser.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery());
        }

        var wrong = await Page.ReadAsync(await CodeStepAsync(browser, CodeAt(portal, key, stepsAgo: 3), "/admin/login"));
        Assert.Equal(Authenticator.WrongCode, wrong.ErrorFor("Input.Code"));
        var signedIn = await CodeStepAsync(browser, CodeAt(portal, key), "/admin/login");
        Assert.Equal("/admin", signedIn.Headers.Location!.PathAndQuery());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/users")).Status);

        using var withRecovery = await PasswordStepAsync(portal, email, "/admin/login");
        var recovered = await CodeStepAsync(withRecovery, codes[0], "/admin/login");
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal("You signed in with a recovery code. 9 recovery codes left: make new ones on Security.",
            (await withRecovery.FollowAsync(recovered)).Document.QuerySelector("[data-flash-warning]")?.TextContent.Trim());
        using var reused = await PasswordStepAsync(portal, email, "/admin/login");
        Assert.Equal(Authenticator.WrongCode, (await Page.ReadAsync(await CodeStepAsync(reused, codes[0], "/admin/login"))).ErrorFor("Input.Code"));
    }

    [Fact]
    public async Task An_admin_turns_off_a_users_second_factor_with_confirmation_logged_and_mailed_and_cannot_turn_it_on()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using (var userBrowser = await portal.LoginAsync(user.Email!))
        {
            await EnrolAsync(portal, userBrowser);
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/users/{user.Id}";
        var page = await admin.GetAsync(url);
        Assert.NotNull(page.Document.QuerySelector("[data-user-two-factor-on]"));

        var unconfirmed = await admin.SubmitAsync(page, [], "form[data-disable-user-two-factor]");
        Assert.NotNull((await admin.FollowAsync(unconfirmed)).Document.QuerySelector("[data-flash-warning]"));
        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var done = await admin.SubmitAsync(page, new() { ["confirm"] = "true" }, "form[data-disable-user-two-factor]");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.False(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));
        Assert.Equal(0, await portal.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == user.Id)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.AdminId != null && e.Description.Contains($"Two-factor authentication of user {user.Email} (#{user.Id}) turned off by an admin"))));
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.UserId == user.Id && m.Kind == "TwoFactorChanged" && m.TextBody.Contains("An administrator turned off"))));
        var after = await admin.GetAsync(url);
        Assert.NotNull(after.Document.QuerySelector("[data-user-two-factor-off]"));
        Assert.Null(after.Document.QuerySelector("form[data-disable-user-two-factor]"));
        using (await portal.LoginAsync(user.Email!))
        {
        }
    }
}
