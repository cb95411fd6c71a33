using System.Net;
using OtpNet;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

/// <summary>What a person does with an authenticator app, done by the tests: read the key off the page, compute codes.</summary>
public static class TwoFactorSteps
{
    /// <summary>The six-digit code an app shows at the fake clock's now, <paramref name="stepsAgo"/> 30-second steps back.</summary>
    public static string CodeAt(PortalFixture portal, string key, int stepsAgo = 0) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(portal.Factory.Time.GetUtcNow().UtcDateTime.AddSeconds(-30 * stepsAgo));

    /// <summary>Moves the clock to the next 30-second step, so that a new code is due (each step's code is good once).</summary>
    public static void NextStep(PortalFixture portal) => portal.Factory.Time.Advance(TimeSpan.FromSeconds(30));

    /// <summary>Turns on two-factor authentication at <paramref name="securityPath"/> and answers the key and the recovery codes shown.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(PortalFixture portal, Browser browser, string securityPath = "/user/security")
    {
        var started = await browser.SubmitAsync(securityPath, [], "form[data-start-two-factor]");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var page = await browser.GetAsync(securityPath);
        var key = page.Document.QuerySelector("[data-authenticator-key]")!.TextContent.Replace(" ", "").Trim();
        var enabled = await Page.ReadAsync(await browser.SubmitAsync(page, new() { [page.Document.QuerySelector("form[data-enable-two-factor] input[name$='Code']")!.GetAttribute("name")!] = CodeAt(portal, key) }, "form[data-enable-two-factor]"));
        Assert.Equal(HttpStatusCode.OK, enabled.Status);
        var codes = enabled.Document.QuerySelectorAll("[data-recovery-code]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        // The enrolment spent this step's code: the next code the tests use is two steps on, so the one before it is unspent too.
        NextStep(portal);
        NextStep(portal);
        return (key, codes);
    }

    /// <summary>The password step of a login: answers the browser, half signed in, on its way to the code page.</summary>
    public static async Task<Browser> PasswordStepAsync(PortalFixture portal, string email, string loginPath = "/login")
    {
        var browser = portal.NewBrowser();
        var response = await browser.SubmitAsync(loginPath, new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(loginPath + "/code", response.Headers.Location!.PathAndQuery());
        return browser;
    }

    public static Task<HttpResponseMessage> CodeStepAsync(Browser browser, string code, string loginPath = "/login") =>
        browser.SubmitAsync(loginPath + "/code", new() { ["Input.Code"] = code });
}
