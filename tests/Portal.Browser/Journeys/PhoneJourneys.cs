using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

/// <summary>
/// The same product on a 390 x 844 phone window: signed out, as an owner, as a user with one permission and as an
/// admin. Every page is scanned and measured like on the desktop (Visitor); the menus fold and are opened by tapping.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneJourneys(BrowserFixture browser)
{
    private const string Tickets = "View & Open Support Tickets";

    [Fact]
    public async Task On_a_phone_an_owner_registers_and_invites_a_colleague_who_is_told_what_a_refused_page_needs_and_the_admin_finds_them()
    {
        var owner = Person.New("Hedy", "Lamarr");
        var colleagueEmail = BrowserFixture.UniqueEmail("radia");
        await using var ownerVisitor = await browser.NewPhoneVisitorAsync("phone.owner");
        await using var colleagueVisitor = await browser.NewPhoneVisitorAsync("phone.colleague");
        await using var admin = await browser.NewPhoneVisitorAsync("phone.admin");
        var adminEmail = BrowserFixture.UniqueEmail("admin");
        var adminCreated = browser.Server.CreateAdminAsync(adminEmail, BrowserFixture.Password);

        // Signed out: a wrong password is said plainly, and the reader is taken to the message.
        var page = ownerVisitor.Page;
        await page.GotoAsync("/login");
        await page.GetByLabel("Email address").FillAsync(owner.Email);
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Login" }).ClickAsync();
        var summary = page.Locator("[data-form-errors]");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).Not.ToContainTextAsync("highlighted");

        // The owner registers, invites a colleague with support tickets only, and reads the account's activity.
        await ownerVisitor.RegisterAsync(owner);
        await ownerVisitor.InviteAsync(colleagueEmail, Tickets);
        await ownerVisitor.NavigateAsync("Activity");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Account Activity", Level = 1 })).ToBeVisibleAsync();

        // The colleague creates a login on the invitation page and is refused the profile, which names what it needs.
        var colleaguePage = colleagueVisitor.Page;
        await colleaguePage.GotoAsync(await browser.Server.InvitationLinkAsync(colleagueEmail, owner.AccountName));
        await Expect(colleaguePage.GetByRole(AriaRole.Main).GetByRole(AriaRole.Listitem)).ToHaveTextAsync([Tickets]);
        var create = colleaguePage.GetByRole(AriaRole.Form, new() { Name = "Create a login" });
        await create.GetByLabel("First name").FillAsync("Radia");
        await create.GetByLabel("Last name").FillAsync("Perlman");
        await create.GetByLabel("Password").FillAsync(BrowserFixture.Password);
        await create.GetByRole(AriaRole.Button, new() { Name = "Create Login and Accept" }).ClickAsync();
        await colleagueVisitor.ExpectDashboardAsync(owner.AccountName);
        await colleagueVisitor.NavigateAsync("Tickets");
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Support Tickets", Level = 1 })).ToBeVisibleAsync();
        await colleagueVisitor.ExpectStatusAsync(403, "/account/profile", () => colleaguePage.GotoAsync("/account/profile"));
        await Expect(colleaguePage.Locator("[data-missing-permission]")).ToHaveTextAsync("Modify Master Account Profile");

        // The admin finds the client and its users from the folded admin menu; an unknown admin address is a 404 there.
        await adminCreated;
        var adminPage = admin.Page;
        await admin.AdminLoginAsync(adminEmail);
        await admin.AdminNavigateAsync("Clients");
        await adminPage.GetByLabel("Search by name, company or email").FillAsync(owner.Company);
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await adminPage.GetByRole(AriaRole.Link, new() { Name = $"{owner.FirstName} {owner.LastName}" }).ClickAsync();
        await Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = owner.AccountName, Level = 1 })).ToBeVisibleAsync();
        await adminPage.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await Expect(adminPage.GetByRole(AriaRole.Main)).ToContainTextAsync(colleagueEmail);
        await admin.AdminNavigateAsync("Activity Log");
        await Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = "Activity Log", Level = 1 })).ToBeVisibleAsync();
        await admin.ExpectStatusAsync(404, "/admin/no-such-page", () => adminPage.GotoAsync("/admin/no-such-page"));
        await Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = "Not Found", Level = 1 })).ToBeVisibleAsync();
        await Expect(adminPage.GetByRole(AriaRole.Navigation, new() { Name = "Admin" })).ToBeVisibleAsync();
        await Expect(adminPage).ToHaveURLAsync(new Regex("/admin/no-such-page$"));

        await ownerVisitor.AssertNoProblemsAsync();
        await colleagueVisitor.AssertNoProblemsAsync();
        await admin.AssertNoProblemsAsync();
    }
}
