using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Features.Identity.TwoFactorSteps;

namespace Portal.Tests.Features.Identity;

/// <summary>
/// Passkeys over HTTP, with an authenticator in the test process (the browser journey does the same with Chromium's
/// virtual authenticator): registration at /user/security, sign-in without a password, and every refusal an attacker
/// could try: a passkey not registered here, a challenge answered twice, another login's passkey, a counter going back,
/// a removed passkey.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class PasskeyTests(PortalFixture portal)
{
    private static async Task<HttpResponseMessage> AddAsync(Browser browser, SoftwareAuthenticator authenticator, string name)
    {
        var started = await browser.SubmitAsync("/user/security", [], "form[data-start-passkey]");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var page = await browser.GetAsync("/user/security");
        var options = page.Document.QuerySelector("form[data-passkey-create]")!.GetAttribute("data-passkey-options")!;
        return await browser.SubmitAsync(page, new() { ["PasskeyInput.Name"] = name, ["PasskeyInput.Credential"] = authenticator.Create(options) }, "form[data-passkey-create]");
    }

    private static async Task<(Page Page, string Options)> SignInFormAsync(Browser browser, string path = "/login")
    {
        var page = await browser.GetAsync(path);
        var form = page.Document.QuerySelector("form[data-passkey-sign-in]");
        Assert.True(form is not null, $"No passkey form on {path}");
        return (page, form.GetAttribute("data-passkey-options")!);
    }

    private static Task<HttpResponseMessage> SignInAsync(Browser browser, Page page, string credential) =>
        browser.SubmitAsync(page, new() { ["PasskeyInput.Credential"] = credential }, "form[data-passkey-sign-in]");

    private static async Task<bool> IsSignedInAsync(Browser browser)
    {
        using var response = await browser.Client.GetAsync("/user/profile");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<(User User, SoftwareAuthenticator Authenticator)> UserWithPasskeyAsync(string name = "Phone")
    {
        var (user, _) = await portal.CreateOwnerAsync();
        var authenticator = new SoftwareAuthenticator();
        using var browser = await portal.LoginAsync(user.Email!);
        var added = await AddAsync(browser, authenticator, name);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        return (user, authenticator);
    }

    private async Task AssertRefusedAsync(Browser browser, HttpResponseMessage response)
    {
        var page = await Page.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(PasskeyText.NotSignedIn, page.ErrorFor("PasskeyInput.Credential"));

        // The refusal belongs to the passkey form: the password form above it claims no highlighted field.
        Assert.Null(page.Document.QuerySelector("[data-form-errors]"));
        Assert.Empty(page.Document.QuerySelectorAll("input.is-invalid:not([type=hidden])"));
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task A_user_adds_named_passkeys_and_signs_in_with_one_without_a_password()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        Assert.NotNull((await browser.GetAsync("/user/security")).Document.QuerySelector("[data-passkeys] [data-empty-state]"));
        var phone = new SoftwareAuthenticator();
        var laptop = new SoftwareAuthenticator();

        var added = await AddAsync(browser, phone, "  My phone ");
        Assert.Equal("/user/security#passkeys", added.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(browser, laptop, "Work laptop")).StatusCode);
        var page = await browser.GetAsync("/user/security");
        Assert.Equal(["My phone", "Work laptop"], page.Document.QuerySelectorAll("[data-passkey-name]").Select(n => n.TextContent));
        var stored = await portal.WithDbAsync(db => db.Passkeys.Where(p => p.UserId == user.Id).OrderBy(p => p.Id).ToListAsync());
        Assert.Equal(phone.CredentialId, stored[0].CredentialId);
        Assert.Equal(2, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.UserId == user.Id && m.Kind == "TwoFactorChanged" && m.TextBody.Contains("was added"))));

        using var elsewhere = portal.NewBrowser();
        var (login, options) = await SignInFormAsync(elsewhere);
        var signedIn = await SignInAsync(elsewhere, login, laptop.Assert(options, SoftwareAuthenticator.UserHandle(user.Id)));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard", signedIn.Headers.Location!.PathAndQuery());
        Assert.True(await IsSignedInAsync(elsewhere));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.EndsWith("with the passkey \"Work laptop\""))));
        var used = await portal.WithDbAsync(db => db.Passkeys.SingleAsync(p => p.UserId == user.Id && p.Name == "Work laptop"));
        Assert.Equal(laptop.Counter, (uint)used.SignCount);
        Assert.NotNull(used.LastUsedAt);
    }

    [Fact]
    public async Task A_passkey_not_registered_here_signs_nobody_in()
    {
        var (user, _) = await UserWithPasskeyAsync();
        using var browser = portal.NewBrowser();
        var (login, options) = await SignInFormAsync(browser);

        await AssertRefusedAsync(browser, await SignInAsync(browser, login, new SoftwareAuthenticator().Assert(options, SoftwareAuthenticator.UserHandle(user.Id))));
    }

    [Fact]
    public async Task A_challenge_counts_once_even_for_a_fresh_signature_of_the_same_passkey()
    {
        var (user, authenticator) = await UserWithPasskeyAsync();
        using var browser = portal.NewBrowser();
        var (login, options) = await SignInFormAsync(browser);
        var cookie = browser.CookieHeader("/login");
        var token = login.Document.QuerySelector("form[data-passkey-sign-in] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, login, authenticator.Assert(options, SoftwareAuthenticator.UserHandle(user.Id)))).StatusCode);

        // The same browser state replayed, with a new, valid signature over the same challenge (its counter moved on).
        using var replay = portal.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login?handler=Passkey")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("PasskeyInput.Credential", authenticator.Assert(options, SoftwareAuthenticator.UserHandle(user.Id)))]),
        };
        request.Headers.Add("Cookie", cookie);
        using var replayed = await replay.Client.SendAsync(request);

        var page = await Page.ReadAsync(replayed);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(PasskeyText.StartAgain, page.ErrorFor("PasskeyInput.Credential"));
        Assert.DoesNotContain(replayed.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("portal=", StringComparison.Ordinal)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.UserId == user.Id && e.Description.Contains("with the passkey"))));
    }

    [Fact]
    public async Task A_passkey_of_one_login_never_signs_in_as_another()
    {
        var (a, aKey) = await UserWithPasskeyAsync();
        var (b, bKey) = await UserWithPasskeyAsync();
        using var browser = portal.NewBrowser();

        // A's passkey, claiming to be B's login.
        var (login, options) = await SignInFormAsync(browser);
        await AssertRefusedAsync(browser, await SignInAsync(browser, login, aKey.Assert(options, SoftwareAuthenticator.UserHandle(b.Id))));

        // B's credential id with B's handle, signed by A's key.
        (login, options) = await SignInFormAsync(browser);
        await AssertRefusedAsync(browser, await SignInAsync(browser, login, aKey.Assert(options, SoftwareAuthenticator.UserHandle(b.Id), bKey.CredentialId)));

        // A's own passkey still signs A in, and only A.
        (login, options) = await SignInFormAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, login, aKey.Assert(options, SoftwareAuthenticator.UserHandle(a.Id)))).StatusCode);
        Assert.Contains(a.Email!, (await browser.GetAsync("/user/profile")).Text);
        Assert.False(await portal.WithDbAsync(db => db.Passkeys.AnyAsync(p => p.UserId == b.Id && p.LastUsedAt != null)));
    }

    [Fact]
    public async Task A_counter_that_goes_back_is_refused_as_a_copied_passkey()
    {
        var (user, authenticator) = await UserWithPasskeyAsync();
        using var browser = portal.NewBrowser();
        var (login, options) = await SignInFormAsync(browser);
        authenticator.Counter = 10;
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, login, authenticator.Assert(options, SoftwareAuthenticator.UserHandle(user.Id)))).StatusCode);

        using var copy = portal.NewBrowser();
        (login, options) = await SignInFormAsync(copy);
        authenticator.Counter = 5;
        await AssertRefusedAsync(copy, await SignInAsync(copy, login, authenticator.Assert(options, SoftwareAuthenticator.UserHandle(user.Id))));
        Assert.Equal(11, await portal.WithDbAsync(db => db.Passkeys.Where(p => p.UserId == user.Id).Select(p => p.SignCount).SingleAsync()));
    }

    [Fact]
    public async Task A_removed_passkey_no_longer_signs_in_and_the_user_is_told_and_nobody_removes_anothers()
    {
        var (user, authenticator) = await UserWithPasskeyAsync("Old phone");
        var (other, _) = await UserWithPasskeyAsync();
        var othersPasskey = await portal.WithDbAsync(db => db.Passkeys.Where(p => p.UserId == other.Id).Select(p => p.Id).SingleAsync());
        using var browser = await portal.LoginAsync(user.Email!);
        var page = await browser.GetAsync("/user/security");

        var unconfirmed = await browser.SubmitAsync(page, [], "form[data-remove-passkey]");
        Assert.Equal("Tick the box to confirm that this passkey is removed.", (await browser.FollowAsync(unconfirmed)).Document.QuerySelector("[data-flash-warning]")?.TextContent.Trim());
        var crafted = await browser.SubmitAsync(page, new() { ["RemovePasskeyInput.Passkey"] = othersPasskey.ToString(), ["RemovePasskeyInput.Confirm"] = "true" }, "form[data-remove-passkey]");
        Assert.Equal(PasskeyText.Gone, (await browser.FollowAsync(crafted)).Document.QuerySelector("[data-flash-warning]")?.TextContent.Trim());
        Assert.True(await portal.WithDbAsync(db => db.Passkeys.AnyAsync(p => p.Id == othersPasskey)));
        Assert.True(await portal.WithDbAsync(db => db.Passkeys.AnyAsync(p => p.UserId == user.Id)));

        var removed = await browser.SubmitAsync(page, new() { ["RemovePasskeyInput.Confirm"] = "true" }, "form[data-remove-passkey]");
        Assert.Equal("The passkey \"Old phone\" was removed. It no longer signs you in.", (await browser.FollowAsync(removed)).Document.QuerySelector("[data-flash]")?.TextContent.Trim());
        Assert.False(await portal.WithDbAsync(db => db.Passkeys.AnyAsync(p => p.UserId == user.Id)));
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.UserId == user.Id && m.Kind == "TwoFactorChanged" && m.TextBody.Contains("The passkey \"Old phone\" was removed"))));

        using var later = portal.NewBrowser();
        var (login, options) = await SignInFormAsync(later);
        await AssertRefusedAsync(later, await SignInAsync(later, login, authenticator.Assert(options, SoftwareAuthenticator.UserHandle(user.Id))));
    }

    [Fact]
    public async Task Adding_a_passkey_in_a_session_whose_last_proof_is_old_asks_for_the_password_first()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        var page = await browser.GetAsync("/user/security");
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));

        var start = await browser.SubmitAsync(page, [], "form[data-start-passkey]");
        Assert.StartsWith("/user/confirm?returnUrl=%2Fuser%2Fsecurity", start.Headers.Location!.PathAndQuery());
        Assert.Null((await browser.GetAsync("/user/security")).Document.QuerySelector("form[data-passkey-create]"));

        await browser.SubmitAsync(start.Headers.Location!.PathAndQuery(), new() { ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(browser, new SoftwareAuthenticator(), "After confirming")).StatusCode);

        // A ceremony started while the proof was fresh cannot be finished once it is stale.
        var started = await browser.SubmitAsync("/user/security", [], "form[data-start-passkey]");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var form = await browser.GetAsync("/user/security");
        var options = form.Document.QuerySelector("form[data-passkey-create]")!.GetAttribute("data-passkey-options")!;
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));
        var late = await browser.SubmitAsync(form, new() { ["PasskeyInput.Name"] = "Too late", ["PasskeyInput.Credential"] = new SoftwareAuthenticator().Create(options) }, "form[data-passkey-create]");
        Assert.StartsWith("/user/confirm", late.Headers.Location!.PathAndQuery());
        Assert.Equal(1, await portal.WithDbAsync(db => db.Passkeys.CountAsync(p => p.UserId == user.Id)));
    }

    [Fact]
    public async Task A_passkey_stands_in_for_the_code_after_the_password_but_only_the_logins_own()
    {
        var (user, authenticator) = await UserWithPasskeyAsync();
        var (other, otherKey) = await UserWithPasskeyAsync();
        using (var enrolling = await portal.LoginAsync(user.Email!))
        {
            await EnrolAsync(portal, enrolling);
        }

        using var browser = await PasswordStepAsync(portal, user.Email!);
        var (codePage, options) = await SignInFormAsync(browser, "/login/code");
        var refused = await Page.ReadAsync(await SignInAsync(browser, codePage, otherKey.Assert(options, SoftwareAuthenticator.UserHandle(other.Id))));
        Assert.Equal(PasskeyText.NotSignedIn, refused.ErrorFor("PasskeyInput.Credential"));
        Assert.False(await IsSignedInAsync(browser));

        (codePage, options) = await SignInFormAsync(browser, "/login/code");
        var signedIn = await SignInAsync(browser, codePage, authenticator.Assert(options, SoftwareAuthenticator.UserHandle(user.Id)));
        Assert.Equal("/dashboard", signedIn.Headers.Location!.PathAndQuery());
        Assert.True(await IsSignedInAsync(browser));

        // A login without a passkey gets no passkey form on its code page.
        var (plain, _) = await portal.CreateOwnerAsync();
        using (var enrolling = await portal.LoginAsync(plain.Email!))
        {
            await EnrolAsync(portal, enrolling);
        }

        using var plainBrowser = await PasswordStepAsync(portal, plain.Email!);
        Assert.Null((await plainBrowser.GetAsync("/login/code")).Document.QuerySelector("form[data-passkey-sign-in]"));
    }

    [Fact]
    public async Task Unreadable_or_forged_answers_are_refused_with_a_message_and_add_nothing()
    {
        var (user, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(user.Email!);
        await browser.SubmitAsync("/user/security", [], "form[data-start-passkey]");
        var page = await browser.GetAsync("/user/security");
        var options = page.Document.QuerySelector("form[data-passkey-create]")!.GetAttribute("data-passkey-options")!;
        var other = new SoftwareAuthenticator(origin: "https://evil.example");
        var wrongRp = new SoftwareAuthenticator(rpId: "evil.example");

        foreach (var credential in new[] { "{}", "[]", "null", "{\"response\":{}}", other.Create(options), wrongRp.Create(options), new SoftwareAuthenticator().Create(options.Replace(SoftwareAuthenticator.ChallengeOf(options), SoftwareAuthenticator.Base64Url(new byte[32]))) })
        {
            var answer = await Page.ReadAsync(await browser.SubmitAsync(page, new() { ["PasskeyInput.Name"] = "Forged", ["PasskeyInput.Credential"] = credential }, "form[data-passkey-create]"));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(PasskeyText.NotCreated, answer.ErrorFor("PasskeyInput.Credential"));
        }

        Assert.False(await portal.WithDbAsync(db => db.Passkeys.AnyAsync(p => p.UserId == user.Id)));
    }
}
