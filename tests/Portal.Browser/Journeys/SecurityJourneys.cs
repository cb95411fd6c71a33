using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class SecurityJourneys(BrowserFixture browser)
{
    [Fact]
    public async Task A_user_turns_on_an_authenticator_app_signs_in_with_it_and_signs_out_another_browser()
    {
        await using var visitor = await browser.NewVisitorAsync("two-factor-sessions");
        await using var elsewhere = await browser.NewVisitorAsync("two-factor-sessions-elsewhere");
        var person = Person.New("Grace", "Hopper");
        await visitor.RegisterAsync(person);

        await visitor.UseHelloMenuAsync(person.FirstName, "Security and Sessions");
        await Expect(visitor.Page.GetByRole(AriaRole.Heading, new() { Name = "Security and Sessions" })).ToBeVisibleAsync();
        var key = await visitor.EnrolAuthenticatorAsync();

        // Another browser: the password, then the app's code of the next 30-second step (the current one was spent
        // turning it on; a step ahead is accepted).
        await elsewhere.LoginAsync(person.Email);
        await Expect(elsewhere.Page).ToHaveURLAsync(new Regex("/login/code"));
        await elsewhere.Page.GetByLabel("Code", new() { Exact = true }).FillAsync(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await elsewhere.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await elsewhere.ExpectDashboardAsync(person.AccountName);

        await visitor.UseHelloMenuAsync(person.FirstName, "Security and Sessions");
        var sessions = visitor.Page.Locator("[data-sessions] tr[data-session]");
        await Expect(sessions).ToHaveCountAsync(2);
        await visitor.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere else" }).ClickAsync();
        await Expect(visitor.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 session ended");
        await Expect(sessions).ToHaveCountAsync(1);

        await elsewhere.Page.ReloadAsync();
        await Expect(elsewhere.Page).ToHaveURLAsync(new Regex("/login"));

        await visitor.AssertNoProblemsAsync();
    }
}
