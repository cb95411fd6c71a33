using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class AdminJourneys(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_finds_a_new_client_and_sees_its_registration_and_login_in_the_activity_log()
    {
        var person = Person.New("Katherine", "Johnson");
        await using (var client = await browser.NewVisitorAsync("admin-activity.client"))
        {
            await client.RegisterAsync(person);
            await client.LogoutAsync(person.FirstName);
            await client.LoginAsync(person.Email);
            await client.ExpectDashboardAsync(person.AccountName);
            await client.AssertNoProblemsAsync();
        }

        var adminEmail = BrowserFixture.UniqueEmail("admin");
        await browser.Server.CreateAdminAsync(adminEmail, BrowserFixture.Password);
        await using var admin = await browser.NewVisitorAsync("admin-activity");
        var page = admin.Page;
        await admin.AdminLoginAsync(adminEmail);

        await admin.AdminNavigateAsync("Clients");
        await page.GetByLabel("Search by name, company or email").FillAsync(person.Company);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var rows = page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row);
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Link, new() { Name = $"{person.FirstName} {person.LastName}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = person.AccountName, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = person.Email })).ToContainTextAsync("Owner");

        await admin.AdminNavigateAsync("Activity Log");
        await page.GetByLabel("Description contains").FillAsync(person.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var entries = page.GetByRole(AriaRole.Table);
        await Expect(entries.GetByRole(AriaRole.Cell, new() { Name = $"Registered user {person.Email} and client account {person.AccountName}" })).ToBeVisibleAsync();
        await Expect(entries.GetByRole(AriaRole.Cell, new() { Name = $"Logged in as {person.Email}", Exact = true })).ToHaveCountAsync(1);
        await Expect(entries.GetByRole(AriaRole.Cell, new() { Name = $"Logged in as {person.Email} to {person.AccountName}" })).ToHaveCountAsync(1);
        await Expect(entries.GetByRole(AriaRole.Cell, new() { Name = $"Logged out {person.Email}", Exact = true })).ToHaveCountAsync(1);

        // The same client found by its company name instead of an id, then picked so the log keeps to that one account.
        await page.GetByLabel("Description contains").FillAsync("");
        await page.GetByLabel("Client (name, company or email)").FillAsync(person.Company);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = person.Company, Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-filter=client] [data-chosen]")).ToContainTextAsync(person.Company);
        await Expect(page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Cell, new() { Name = $"Registered user {person.Email} and client account {person.AccountName}" })).ToBeVisibleAsync();

        await admin.AssertNoProblemsAsync();
    }
}
