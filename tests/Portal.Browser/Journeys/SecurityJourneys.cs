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

    [Fact]
    public async Task A_user_adds_a_passkey_signs_in_with_it_without_a_password_and_a_removed_passkey_no_longer_works()
    {
        await using var visitor = await browser.NewVisitorAsync("passkeys");
        var page = visitor.Page;

        // Chromium's virtual authenticator: a platform authenticator that keeps discoverable credentials and verifies its user.
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        var person = Person.New("Ada", "Passkey");
        await visitor.RegisterAsync(person);
        await visitor.UseHelloMenuAsync(person.FirstName, "Security and Sessions");
        var passkeys = page.Locator("[data-passkeys]");
        await Expect(passkeys.GetByText("You have no passkey yet.")).ToBeVisibleAsync();
        await passkeys.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await passkeys.GetByLabel("Name of the new passkey").FillAsync("Work laptop");
        await passkeys.GetByRole(AriaRole.Button, new() { Name = "Create the passkey" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The passkey \"Work laptop\" was added.");
        await Expect(passkeys.Locator("[data-passkey-name]")).ToHaveTextAsync(["Work laptop"]);

        // Signed out, the passkey alone signs in: no e-mail, no password.
        await visitor.LogoutAsync(person.FirstName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await visitor.ExpectDashboardAsync(person.AccountName);

        await visitor.UseHelloMenuAsync(person.FirstName, "Security and Sessions");
        await Expect(passkeys.Locator("[data-passkey]")).Not.ToContainTextAsync("Never");
        await passkeys.GetByLabel("I confirm that \"Work laptop\" is removed").CheckAsync();
        await passkeys.GetByRole(AriaRole.Button, new() { Name = "Remove Work laptop" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The passkey \"Work laptop\" was removed.");
        await Expect(passkeys.GetByText("You have no passkey yet.")).ToBeVisibleAsync();

        // The authenticator still holds the credential, but the portal no longer knows it.
        await visitor.LogoutAsync(person.FirstName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Expect(page.Locator("form[data-passkey-sign-in] [data-passkey-status]")).ToHaveTextAsync("That passkey did not sign you in. Try again, or log in with your password.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Hello, {person.FirstName}!" })).ToHaveCountAsync(0);

        // The refusal's page never reports its load to Playwright (a form submitted from script after a WebAuthn call); a fresh page does.
        await page.GotoAsync("/login");

        await visitor.AssertNoProblemsAsync();
    }
}
