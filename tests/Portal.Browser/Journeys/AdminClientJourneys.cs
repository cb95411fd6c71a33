using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class AdminClientJourneys(BrowserFixture browser)
{
    private const string Tickets = "View & Open Support Tickets";

    [Fact]
    public async Task An_admin_adds_a_client_with_an_existing_owner_hands_ownership_on_and_deletes_it_with_its_only_users()
    {
        var olivia = Person.New("Olivia", "Owens");
        var sam = Person.New("Sam", "Sutton");
        var tess = Person.New("Tess", "Turner");
        // The new client's profile: its contact details are the company's own, not a login's.
        var client = new Person("Olivia", "Owens", BrowserFixture.Unique("Quayside Trading"), BrowserFixture.UniqueEmail("accounts"));
        var adminEmail = BrowserFixture.UniqueEmail("admin");

        await using var oliviaVisitor = await browser.NewVisitorAsync("admin-client-lifecycle.olivia");
        await using var samVisitor = await browser.NewVisitorAsync("admin-client-lifecycle.sam");
        await using var tessVisitor = await browser.NewVisitorAsync("admin-client-lifecycle.tess");
        await using var admin = await browser.NewVisitorAsync("admin-client-lifecycle.admin");
        var page = admin.Page;

        // Olivia and Sam each register an account of their own while the admin is created and logs in.
        await Task.WhenAll(
            RegisterAndLeaveAsync(oliviaVisitor, olivia),
            RegisterAndLeaveAsync(samVisitor, sam),
            AdminArrivesAsync(admin, adminEmail));

        // Add New Client: the profile, then the owner found by search among existing users.
        await admin.AdminNavigateAsync("Clients");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add New Client" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add New Client", Level = 1 })).ToBeVisibleAsync();
        await ClientSteps.FillProfileAsync(page, client, client.Company);
        await page.GetByRole(AriaRole.Radio, new() { Name = "An existing user" }).CheckAsync();
        await page.GetByLabel("Find an existing user by name or email").FillAsync(olivia.Email);
        await page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = $"{olivia.FirstName} {olivia.LastName} · {olivia.Email}" }).CheckAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "An existing user" })).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Company name")).ToHaveValueAsync(client.Company);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Client" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = client.AccountName, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The client account is ready.");
        await Expect(page.GetByLabel("Email address")).ToHaveValueAsync(client.Email);
        await Expect(NameCell(page, olivia.Email)).ToHaveTextAsync($"{olivia.FirstName} {olivia.LastName} Owner");
        var clientPath = new Uri(page.Url).AbsolutePath;

        // The Users tab: Sam is associated at once with support tickets only, and Tess, who has no login yet, is invited.
        await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        await page.GetByLabel("Find a user by name or email").FillAsync(sam.Email);
        await page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = $"{sam.FirstName} {sam.LastName} · {sam.Email}" }).CheckAsync();

        // All Permissions is the default here as on the invite forms: while it is ticked, every box is ticked and locked.
        await Expect(page.GetByLabel("All Permissions")).ToBeCheckedAsync();
        await Expect(page.GetByLabel(Tickets, new() { Exact = true })).ToBeCheckedAsync();
        await Expect(page.GetByLabel(Tickets, new() { Exact = true })).ToBeDisabledAsync();
        await page.GetByLabel("All Permissions").UncheckAsync();
        await Expect(page.GetByLabel(Tickets, new() { Exact = true })).Not.ToBeCheckedAsync();
        await page.GetByLabel(Tickets, new() { Exact = true }).CheckAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Send Invite" })).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Associate or Invite User" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The user now has access to this account.");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = sam.Email })).ToContainTextAsync(Tickets);

        await page.GetByRole(AriaRole.Link, new() { Name = "Invite by Email" }).ClickAsync();
        await page.GetByLabel("Email address").FillAsync(tess.Email);
        await page.GetByLabel("All Permissions").UncheckAsync();
        await page.GetByLabel(Tickets, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send Invite" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(tess.Email);
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = tess.Email })).ToContainTextAsync(Tickets);

        // Side by side: Tess creates her login from the e-mailed link while the admin hands ownership to Sam.
        var link = await browser.Server.InvitationLinkAsync(tess.Email, client.AccountName);
        await Task.WhenAll(
            TessAcceptsAsync(tessVisitor, link, client.AccountName, tess),
            MakeSamOwnerAsync(admin, sam, client.AccountName));
        // Sam carries the Owner label; Olivia stays associated, no longer owner, with every permission.
        await Expect(NameCell(page, sam.Email)).ToHaveTextAsync($"{sam.FirstName} {sam.LastName} Owner");
        await Expect(NameCell(page, olivia.Email)).ToHaveTextAsync($"{olivia.FirstName} {olivia.LastName}");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = olivia.Email })).ToContainTextAsync("All Permissions");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = olivia.Email }).GetByRole(AriaRole.Link, new() { Name = "Make Owner" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = tess.Email })).ToBeVisibleAsync();

        // Sam logs in to his own account, the one he worked in last, switches to the new one from the bar, and as its
        // owner manages its users.
        await samVisitor.LoginAsync(sam.Email);
        await samVisitor.ExpectDashboardAsync(sam.AccountName);
        await samVisitor.SwitchAccountFromBarAsync(sam.AccountName, client.AccountName);
        await samVisitor.OpenUserManagementAsync();
        await Expect(samVisitor.UserRow(olivia.Email)).ToBeVisibleAsync();
        await Expect(samVisitor.UserRow(tess.Email)).ToBeVisibleAsync();

        // Delete Client, deleting the users who reach no other account: only Tess.
        await page.GotoAsync(clientPath);
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete Client" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Delete {client.AccountName}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("This will delete all history and cannot be undone.");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = olivia.Email })).ToContainTextAsync("Kept: has other accounts");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = sam.Email })).ToContainTextAsync("Kept: has other accounts");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = tess.Email })).ToContainTextAsync("Deleted: no other account");
        await page.GetByLabel("Delete users who are only associated with this client").CheckAsync();
        await page.GetByLabel("I understand that this deletes the client and all its history permanently").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Client" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clients", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Client {client.AccountName} has been deleted, with 1 user who had no other account.");
        await page.GetByLabel("Search by name, company or email").FillAsync(client.Company);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("No clients match.");

        // Manage Users: Olivia and Sam keep their logins, Tess is gone.
        await admin.AdminNavigateAsync("Manage Users");
        foreach (var kept in new[] { olivia, sam })
        {
            await SearchUsersAsync(page, kept.Email);
            await Expect(page.GetByRole(AriaRole.Row, new() { Name = kept.Email })).ToContainTextAsync(kept.LastName);
        }

        await SearchUsersAsync(page, tess.Email);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("No users match.");

        // The activity log names the admin's three steps.
        await admin.AdminNavigateAsync("Activity Log");
        await page.GetByLabel("Description contains").FillAsync(client.AccountName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var entries = page.GetByRole(AriaRole.Table);
        await Expect(entries.GetByRole(AriaRole.Row, new() { Name = $"Admin created client account {client.AccountName}" }))
            .ToContainTextAsync($"owned by existing user {olivia.Email}");
        await Expect(entries.GetByRole(AriaRole.Row, new() { Name = $"User {sam.Email} ownership granted for {client.AccountName}" })).ToContainTextAsync("Admin");
        var deletion = entries.GetByRole(AriaRole.Row, new() { Name = $"Deleted client {client.AccountName}" });
        await Expect(deletion).ToContainTextAsync($"deleted users only associated with it: {tess.Email}");

        // The entries outlive the client: it shows as deleted, with no link to its page; Tess's own entry names her by id.
        var clientId = clientPath.Split('/')[^1];
        await Expect(deletion.GetByRole(AriaRole.Cell, new() { Name = $"#{clientId} (deleted)", Exact = true })).ToBeVisibleAsync();
        await Expect(entries.GetByRole(AriaRole.Link, new() { Name = $"#{clientId}" })).ToHaveCountAsync(0);
        await Expect(entries.GetByRole(AriaRole.Row, new() { Name = $"User {tess.Email} accepted the invitation" })).ToContainTextAsync(new Regex(@"User #\d+ \(deleted\)"));

        await oliviaVisitor.AssertNoProblemsAsync();
        await samVisitor.AssertNoProblemsAsync();
        await tessVisitor.AssertNoProblemsAsync();
        await admin.AssertNoProblemsAsync();
    }

    /// <summary>The Name cell of a user's row: the name, followed by the Owner label for the owner.</summary>
    private static ILocator NameCell(IPage page, string email) =>
        page.GetByRole(AriaRole.Row, new() { Name = email }).GetByRole(AriaRole.Cell).First;

    private static async Task SearchUsersAsync(IPage page, string text)
    {
        await page.GetByLabel("Search by name or email").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]q="));
    }

    private static async Task RegisterAndLeaveAsync(Visitor visitor, Person person)
    {
        await visitor.RegisterAsync(person);
        await visitor.LogoutAsync(person.FirstName);
    }

    private async Task AdminArrivesAsync(Visitor admin, string email)
    {
        await browser.Server.CreateAdminAsync(email, BrowserFixture.Password);
        await admin.AdminLoginAsync(email);
    }

    private static async Task TessAcceptsAsync(Visitor visitor, string link, string accountName, Person tess)
    {
        var page = visitor.Page;
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"You have been invited to {accountName}", Level = 1 })).ToBeVisibleAsync();
        var create = page.GetByRole(AriaRole.Form, new() { Name = "Create a login" });
        await create.GetByLabel("First name").FillAsync(tess.FirstName);
        await create.GetByLabel("Last name").FillAsync(tess.LastName);
        await create.GetByLabel("Your email address").FillAsync(tess.Email);
        await create.GetByLabel("Password").FillAsync(BrowserFixture.Password);
        await create.GetByRole(AriaRole.Button, new() { Name = "Create Login and Accept" }).ClickAsync();
        await visitor.ExpectDashboardAsync(accountName);
    }

    private static async Task MakeSamOwnerAsync(Visitor admin, Person sam, string accountName)
    {
        var page = admin.Page;
        await page.GetByRole(AriaRole.Row, new() { Name = sam.Email }).GetByRole(AriaRole.Link, new() { Name = "Manage User" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Manage User", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Make Owner" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Make {sam.FirstName} {sam.LastName} the Owner", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("I understand that the account changes owner").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Make Owner" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{sam.Email} is now the owner of {accountName}.");
    }
}
