using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class InvitationJourneys(BrowserFixture browser)
{
    private const string Tickets = "View & Open Support Tickets";

    [Fact]
    public async Task An_invited_colleague_accepts_switches_accounts_and_feels_lowered_permissions_and_removal_at_once()
    {
        var owner = Person.New("Mary", "Jackson");
        var colleague = Person.New("Dorothy", "Vaughan");
        await using var ownerVisitor = await browser.NewVisitorAsync("invite-accept-switch.owner");
        await using var colleagueVisitor = await browser.NewVisitorAsync("invite-accept-switch.colleague");
        var colleaguePage = colleagueVisitor.Page;

        // Side by side, as two people do: the owner registers and invites the colleague's address with All
        // Permissions, while the colleague registers an account of their own and logs out.
        await Task.WhenAll(
            OwnerInvitesAsync(ownerVisitor, owner, colleague.Email),
            ColleagueRegistersAsync(colleagueVisitor, colleague));

        // The colleague follows the e-mailed link, logs in on the invitation page and lands in the invited account.
        var link = await browser.Server.InvitationLinkAsync(colleague.Email, owner.AccountName);
        await colleagueVisitor.AcceptWithLoginAsync(link, owner.AccountName, $"{owner.FirstName} {owner.LastName}", colleague.Email);

        // One login, two accounts: switching needs no new login; All Permissions opens the account profile.
        await colleagueVisitor.SwitchAccountAsync(colleague.FirstName, colleague.AccountName);
        await colleagueVisitor.SwitchAccountAsync(colleague.FirstName, owner.AccountName);
        await colleagueVisitor.NavigateAsync("Account Profile");
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Account Profile", Level = 1 })).ToBeVisibleAsync();
        await Expect(colleaguePage.GetByLabel("Company name")).ToHaveValueAsync(owner.Company);

        // The owner sees the colleague's login and lowers them to support tickets only.
        await ownerVisitor.OpenUserManagementAsync();
        var row = ownerVisitor.UserRow(colleague.Email);
        await Expect(row).ToContainTextAsync($"{colleague.FirstName} {colleague.LastName}");
        await Expect(row).ToContainTextAsync(new Regex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"));
        await Expect(row).Not.ToContainTextAsync("Never");
        await ownerVisitor.SetPermissionsAsync(colleague, Tickets);

        // The colleague's very next request is judged by the new permissions: the profile they have open is refused.
        await colleagueVisitor.ExpectStatusAsync(403, "/account/profile", () => colleaguePage.ReloadAsync());
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Access Denied", Level = 1 })).ToBeVisibleAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Main)).ToContainTextAsync("You do not have the required permissions to access this page.");
        await Expect(colleaguePage.GetByRole(AriaRole.Main).GetByRole(AriaRole.Listitem)).ToHaveTextAsync([Tickets]);
        await Expect(colleaguePage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Account Profile" }))
            .ToHaveCountAsync(0);

        // Removed, the colleague's next page view of the invited account sends them to choose among what is left.
        await ownerVisitor.RemoveAccessAsync(colleague);
        await colleagueVisitor.NavigateAsync("Dashboard");
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Choose Account", Level = 1 })).ToBeVisibleAsync();
        var accounts = colleaguePage.GetByRole(AriaRole.List, new() { Name = "Your accounts" });
        await Expect(accounts.GetByRole(AriaRole.Button)).ToHaveTextAsync([colleague.AccountName]);

        await ownerVisitor.AssertNoProblemsAsync();
        await colleagueVisitor.AssertNoProblemsAsync();    }

    private static async Task OwnerInvitesAsync(Visitor visitor, Person owner, string email)
    {
        await visitor.RegisterAsync(owner);
        await visitor.InviteWithAllPermissionsAsync(email);
    }

    private static async Task ColleagueRegistersAsync(Visitor visitor, Person colleague)
    {
        await visitor.RegisterAsync(colleague);
        await visitor.LogoutAsync(colleague.FirstName);
    }
}
