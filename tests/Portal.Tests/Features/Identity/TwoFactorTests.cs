using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Features.Identity.TwoFactorSteps;

namespace Portal.Tests.Features.Identity;

/// <summary>Two-factor authentication of client users: enrolment at /user/security and the code step of the login.</summary>
[Collection(IdentityCollection.Name)]
public sealed class TwoFactorTests(PortalFixture portal)
{
    private static async Task<bool> IsSignedInAsync(Browser browser)
    {
        using var response = await browser.Client.GetAsync("/user/profile");
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>A request with a saved Cookie header only, as a replayed stolen cookie would come.</summary>
    private static Task<HttpResponseMessage> Send(Browser browser, HttpMethod method, string cookie, string path, IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return browser.Client.SendAsync(request);
    }

    private async Task<(Portal.Features.Identity.User User, string Key, IReadOnlyList<string> Codes)> EnrolledUserAsync()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var (key, codes) = await EnrolAsync(portal, browser);
        return (user, key, codes);
    }

    [Fact]
    public async Task Enrolment_shows_a_server_drawn_qr_code_and_the_key_and_keeps_only_hashes_of_the_recovery_codes()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        await browser.SubmitAsync("/user/security", [], "form[data-start-two-factor]");
        var page = await browser.GetAsync("/user/security");

        var svg = page.Document.QuerySelector("[data-qr] svg");
        Assert.NotNull(svg);
        Assert.Null(page.Document.QuerySelector("[data-qr] script, [data-qr] [style], [data-qr] img"));
        var key = page.Document.QuerySelector("[data-authenticator-key]")!.TextContent.Replace(" ", "").Trim();
        Assert.Equal(32, key.Length);
        var stored = await portal.WithDbAsync(db => db.UserTokens.Where(t => t.UserId == user.Id).Select(t => t.Value).SingleAsync());
        Assert.DoesNotContain(key, stored ?? "");

        var wrong = await Page.ReadAsync(await browser.SubmitAsync(page, new() { ["EnableInput.Code"] = CodeAt(portal, key, stepsAgo: 3) }, "form[data-enable-two-factor]"));
        Assert.Equal(TwoFactorText.WrongEnrolmentCode, wrong.ErrorFor("EnableInput.Code"));
        Assert.False(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var enabled = await Page.ReadAsync(await browser.SubmitAsync(page, new() { ["EnableInput.Code"] = CodeAt(portal, key) }, "form[data-enable-two-factor]"));
        var codes = enabled.Document.QuerySelectorAll("[data-recovery-code]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.NotNull(enabled.Document.QuerySelector("[data-two-factor-on]"));
        var hashes = await portal.WithDbAsync(db => db.RecoveryCodes.Where(c => c.UserId == user.Id).Select(c => c.Hash).ToListAsync());
        Assert.Equal(10, hashes.Count);
        Assert.All(codes, c => Assert.Contains(RecoveryCode.HashOf(c), hashes));
        Assert.All(codes, c => Assert.DoesNotContain(hashes, h => h.Contains(c.Replace("-", ""), StringComparison.OrdinalIgnoreCase)));
        Assert.Empty((await browser.GetAsync("/user/security")).Document.QuerySelectorAll("[data-recovery-code]"));
        var notice = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.UserId == user.Id && m.Kind == "TwoFactorChanged").SingleAsync());
        Assert.Contains("turned on", notice.TextBody);
    }

    [Fact]
    public async Task Login_asks_for_the_code_after_the_password_and_starts_the_session_only_when_it_passes()
    {
        var (user, key, _) = await EnrolledUserAsync();
        var sessionsBefore = await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == user.Id));

        using var browser = await PasswordStepAsync(portal, user.Email!);

        Assert.Equal(sessionsBefore, await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == user.Id)));
        Assert.False(await IsSignedInAsync(browser));
        var response = await CodeStepAsync(browser, CodeAt(portal, key));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        Assert.True(await IsSignedInAsync(browser));
        Assert.Equal(sessionsBefore + 1, await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == user.Id)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.EndsWith("with the authenticator app"))));
    }

    [Fact]
    public async Task A_code_of_the_previous_step_is_accepted_and_one_of_three_steps_ago_is_refused()
    {
        var (user, key, _) = await EnrolledUserAsync();

        using var late = await PasswordStepAsync(portal, user.Email!);
        var tooOld = await Page.ReadAsync(await CodeStepAsync(late, CodeAt(portal, key, stepsAgo: 3)));
        Assert.Equal(HttpStatusCode.OK, tooOld.Status);
        Assert.Equal(Authenticator.WrongCode, tooOld.ErrorFor("Input.Code"));
        Assert.False(await IsSignedInAsync(late));

        var previous = await CodeStepAsync(late, CodeAt(portal, key, stepsAgo: 1));
        Assert.Equal(HttpStatusCode.Redirect, previous.StatusCode);
        Assert.True(await IsSignedInAsync(late));
    }

    [Fact]
    public async Task A_code_is_good_once_and_so_is_a_recovery_code()
    {
        var (user, key, codes) = await EnrolledUserAsync();
        var code = CodeAt(portal, key);
        using var first = await PasswordStepAsync(portal, user.Email!);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(first, code)).StatusCode);

        using var second = await PasswordStepAsync(portal, user.Email!);
        var reused = await Page.ReadAsync(await CodeStepAsync(second, code));
        Assert.Equal(Authenticator.WrongCode, reused.ErrorFor("Input.Code"));

        var recovery = await CodeStepAsync(second, codes[3].ToLowerInvariant().Replace("-", " "));
        Assert.Equal(HttpStatusCode.Redirect, recovery.StatusCode);
        Assert.True(await IsSignedInAsync(second));

        using var third = await PasswordStepAsync(portal, user.Email!);
        var spent = await Page.ReadAsync(await CodeStepAsync(third, codes[3]));
        Assert.Equal(Authenticator.WrongCode, spent.ErrorFor("Input.Code"));
        Assert.False(await IsSignedInAsync(third));
        Assert.Equal(9, await portal.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == user.Id)));
    }

    [Fact]
    public async Task A_sign_in_with_a_recovery_code_warns_how_many_are_left_on_the_next_page()
    {
        var (user, _, codes) = await EnrolledUserAsync();
        using var browser = await PasswordStepAsync(portal, user.Email!);

        var signedIn = await CodeStepAsync(browser, codes[0]);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var next = await browser.FollowAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal("You signed in with a recovery code. 9 recovery codes left: make new ones on Security and Sessions.",
            next.Document.QuerySelector("[data-flash-warning]")?.TextContent.Trim());
        Assert.Null((await browser.GetAsync("/dashboard")).Document.QuerySelector("[data-flash-warning]"));
    }

    [Fact]
    public async Task Half_signed_in_reaches_no_page_but_the_code_page_and_its_cookie_replayed_later_does_not_skip_the_code()
    {
        var (user, key, _) = await EnrolledUserAsync();
        using var browser = await PasswordStepAsync(portal, user.Email!);
        var halfCookie = browser.CookieHeader("/login/code");
        Assert.Contains("portal-pending=", halfCookie);

        foreach (var path in new[] { "/dashboard", "/user/security", "/user/profile", "/user/accounts", "/account/users", "/invoices" })
        {
            using var response = await browser.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery());
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/login/code")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(browser, CodeAt(portal, key))).StatusCode);

        // The same half-signed-in cookie, replayed from elsewhere after the login finished: still only the code page, still a code.
        var token = await portal.NewBrowser().AntiforgeryTokenAsync("/login");
        using (var dashboard = await portal.ReplayCookieAsync(halfCookie, "/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
            Assert.StartsWith("/login", dashboard.Headers.Location!.PathAndQuery());
        }

        using var replayBrowser = portal.NewBrowser();
        var codePage = await Page.ReadAsync(await Send(replayBrowser, HttpMethod.Get, halfCookie, "/login/code"));
        Assert.Equal(HttpStatusCode.OK, codePage.Status);
        var formToken = codePage.Document.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var noCode = await Page.ReadAsync(await Send(replayBrowser, HttpMethod.Post, halfCookie, "/login/code", [new("__RequestVerificationToken", formToken), new("Input.Code", "000000")]));
        Assert.Equal(Authenticator.WrongCode, noCode.ErrorFor("Input.Code"));
        Assert.DoesNotContain(noCode.Response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("portal=", StringComparison.Ordinal)));

        // Past its few minutes the cookie leads back to the password, whatever code comes with it.
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(6));
        var expired = await Send(replayBrowser, HttpMethod.Get, halfCookie, "/login/code");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.StartsWith("/login", expired.Headers.Location!.PathAndQuery());
        var late = await Send(replayBrowser, HttpMethod.Post, halfCookie, "/login/code", [new("__RequestVerificationToken", formToken), new("Input.Code", CodeAt(portal, key))]);
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.StartsWith("/login", late.Headers.Location!.PathAndQuery());
        Assert.DoesNotContain(late.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("portal=", StringComparison.Ordinal)));
        _ = token;
    }

    [Fact]
    public async Task Wrong_codes_count_toward_the_lockout_and_a_locked_login_refuses_even_the_right_code()
    {
        var (user, key, _) = await EnrolledUserAsync();
        using var browser = await PasswordStepAsync(portal, user.Email!);

        for (var i = 0; i < LockoutPolicy.MaxFailedAttempts; i++)
        {
            await CodeStepAsync(browser, "000000");
        }

        var locked = await Page.ReadAsync(await CodeStepAsync(browser, CodeAt(portal, key)));
        Assert.Equal(HttpStatusCode.OK, locked.Status);
        Assert.Contains(TwoFactorText.LockedOut, locked.Text);
        Assert.False(await IsSignedInAsync(browser));
        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync()) > portal.Factory.Time.GetUtcNow());

        // The owner hears of it once, with a link to a new password, which lifts the lock.
        var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.UserId == user.Id && m.Kind == "CodeLockout").SingleAsync());
        Assert.Equal(user.Email, mail.To);
        Assert.Contains("wrong two-factor codes", mail.TextBody);
        Assert.Contains("someone knows your password", mail.TextBody);
        Assert.Contains($"https://portal.test/password/reset?user={user.Id}&token=", mail.TextBody);
        await CodeStepAsync(browser, "000000");
        Assert.Equal(1, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.UserId == user.Id && m.Kind == "CodeLockout")));
    }

    [Fact]
    public async Task Turning_it_off_needs_the_password_and_then_the_login_asks_for_the_password_only()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        await EnrolAsync(portal, browser);

        var wrong = await Page.ReadAsync(await browser.SubmitAsync("/user/security", new() { ["DisableInput.Password"] = "not my password at all" }, "form[data-disable-two-factor]"));
        Assert.Equal(TwoFactorText.WrongPassword, wrong.ErrorFor("DisableInput.Password"));
        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var off = await browser.SubmitAsync("/user/security", new() { ["DisableInput.Password"] = PortalFixture.Password }, "form[data-disable-two-factor]");
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.Equal(0, await portal.WithDbAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == user.Id)));
        Assert.Equal(0, await portal.WithDbAsync(db => db.UserTokens.CountAsync(t => t.UserId == user.Id)));
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.UserId == user.Id && m.Kind == "TwoFactorChanged" && m.TextBody.Contains("turned off"))));
        using (await portal.LoginAsync(user.Email!))
        {
        }
    }

    [Fact]
    public async Task Regenerating_recovery_codes_needs_the_password_and_retires_every_earlier_code()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var (_, oldCodes) = await EnrolAsync(portal, browser);

        var page = await Page.ReadAsync(await browser.SubmitAsync("/user/security", new() { ["RegenerateInput.Password"] = PortalFixture.Password }, "form[data-regenerate]"));
        var newCodes = page.Document.QuerySelectorAll("[data-recovery-code]").Select(c => c.TextContent.Trim()).ToList();

        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(oldCodes));
        using var other = await PasswordStepAsync(portal, user.Email!);
        Assert.Equal(Authenticator.WrongCode, (await Page.ReadAsync(await CodeStepAsync(other, oldCodes[0]))).ErrorFor("Input.Code"));
        Assert.Equal(HttpStatusCode.Redirect, (await CodeStepAsync(other, newCodes[0])).StatusCode);
    }

    [Fact]
    public async Task The_forms_of_an_enrolled_login_answer_the_hostile_corpus_with_a_message_and_change_nothing()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        await EnrolAsync(portal, browser);
        var page = await browser.GetAsync("/user/security");
        var hashes = await portal.WithDbAsync(db => db.RecoveryCodes.Where(c => c.UserId == user.Id).OrderBy(c => c.Hash).Select(c => c.Hash).ToListAsync());

        foreach (var (form, field) in new[] { ("form[data-regenerate]", "RegenerateInput.Password"), ("form[data-disable-two-factor]", "DisableInput.Password") })
        {
            foreach (var value in Portal.Tests.Security.HostileInputTests.Corpus)
            {
                // Each attempt from its own address, as the corpus test sends them: the per-IP password limit is tested elsewhere.
                browser.Client.DefaultRequestHeaders.Remove(PortalFactory.TestIpHeader);
                browser.Client.DefaultRequestHeaders.Add(PortalFactory.TestIpHeader, $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
                var response = await browser.SubmitAsync(page, new() { [field] = value }, form);
                // As the hostile-input corpus answers: the page with a message, or 400 for what cannot be read at all; never a 500.
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{form} {field}={value[..Math.Min(20, value.Length)]}: {(int)response.StatusCode}");
                Assert.DoesNotContain("<script>alert('portal-xss')", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));
        Assert.Equal(hashes, await portal.WithDbAsync(db => db.RecoveryCodes.Where(c => c.UserId == user.Id).OrderBy(c => c.Hash).Select(c => c.Hash).ToListAsync()));
    }

    [Fact]
    public async Task Setting_up_an_app_in_a_session_whose_last_proof_is_old_asks_for_the_password_first()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var page = await browser.GetAsync("/user/security");
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));

        var start = await browser.SubmitAsync(page, [], "form[data-start-two-factor]");

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith("/user/confirm?returnUrl=%2Fuser%2Fsecurity", start.Headers.Location!.PathAndQuery());
        Assert.Equal(0, await portal.WithDbAsync(db => db.UserTokens.CountAsync(t => t.UserId == user.Id)));
        await browser.SubmitAsync(start.Headers.Location!.PathAndQuery(), new() { ["Input.Password"] = PortalFixture.Password });
        await EnrolAsync(portal, browser);
    }
}
