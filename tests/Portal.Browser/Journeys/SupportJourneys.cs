using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class SupportJourneys(BrowserFixture browser)
{
    [Fact]
    public async Task An_owner_opens_a_ticket_a_contact_replies_by_e_mail_and_the_admin_sees_both_badges_and_answers()
    {
        var owner = Person.New("Olga", "Owner");
        var contactEmail = BrowserFixture.UniqueEmail("carla");
        var departmentEmail = BrowserFixture.UniqueEmail("helpdesk");
        var adminEmail = BrowserFixture.UniqueEmail("admin");
        await using var client = await browser.NewVisitorAsync("support-journey.owner");
        await using var admin = await browser.NewVisitorAsync("support-journey.admin");

        // The admin sets up a department while the owner registers.
        await browser.Server.CreateAdminAsync(adminEmail, BrowserFixture.Password);
        await Task.WhenAll(client.RegisterAsync(owner), admin.AdminLoginAsync(adminEmail));
        await admin.AdminNavigateAsync("Support");
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Departments" }).ClickAsync();
        await admin.Page.GetByLabel("Name").FillAsync(BrowserFixture.Unique("Helpdesk"));
        await admin.Page.GetByLabel("Email address").FillAsync(departmentEmail);
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Add Department" }).ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("was added");

        // The owner adds Carla as a contact and opens a ticket.
        var page = client.Page;
        await client.NavigateAsync("Contacts");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add Contact" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Carla Contact");
        await page.GetByLabel("Email address").FillAsync(contactEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Contact" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = contactEmail })).ToContainTextAsync("Support");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = contactEmail })).ToContainTextAsync("Waiting for confirmation");

        // Carla confirms her address by the link mailed to her: only then is her mail the account's.
        var confirmation = await browser.Server.WaitForMailAsync(contactEmail, s => s.StartsWith("Please confirm that you are a contact of", StringComparison.Ordinal), "a contact confirmation");
        var confirmLink = Regex.Match(confirmation.TextBody ?? "", Regex.Escape(browser.Server.BaseUrl) + @"/contacts/confirm\?token=[A-Za-z0-9_-]+");
        Assert.True(confirmLink.Success, "The confirmation e-mail carries no link:\n" + confirmation.TextBody);
        await using (var carla = await browser.NewVisitorAsync("support-journey.contact"))
        {
            await carla.Page.GotoAsync(confirmLink.Value);
            await carla.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm my address" }).ClickAsync();
            await Expect(carla.Page.Locator("[data-contact-confirmed]")).ToBeVisibleAsync();
            await carla.AssertNoProblemsAsync();
        }

        await client.NavigateAsync("Tickets");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open New Ticket" }).ClickAsync();
        await page.GetByLabel("Subject").FillAsync("The shop page is blank");
        await page.GetByLabel("Message").FillAsync("Since this morning the shop page shows nothing.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your ticket has been opened");
        var reference = (await page.Locator("[data-reference]").TextContentAsync())!;
        Assert.Matches("^#[A-Z0-9]{10}$", reference);

        // Carla answers by e-mail; the mail server pipes it to import-mail.
        var mail = $"From: Carla Contact <{contactEmail}>\r\nTo: {departmentEmail}\r\nSubject: Re: [{reference}] The shop page is blank\r\n" +
                   $"Message-ID: <{Guid.NewGuid():N}@mail.example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSame on the tills here.\r\n\r\nOn Monday Olga wrote:\r\n> Since this morning";
        var (exitCode, output) = await browser.Server.RunCommandAsync(mail, "import-mail");
        Assert.True(exitCode == 0, output);

        // The admin sees Owner and Sub-account and answers as Operator.
        await admin.AdminNavigateAsync("Support");
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "The shop page is blank" }).ClickAsync();
        var badges = admin.Page.Locator("[data-badge]");
        await Expect(badges).ToHaveTextAsync(["Owner", "Sub-account"]);
        await Expect(admin.Page.Locator("[data-text]").Nth(1)).ToHaveTextAsync("Same on the tills here.");
        await admin.Page.GetByLabel("Message (mailed to the requester and the account's followers)").FillAsync("Fixed: the shop is back.");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Send Answer" }).ClickAsync();
        await Expect(badges).ToHaveTextAsync(["Owner", "Sub-account", "Operator"]);

        // The owner sees the answer signed Support.
        await page.ReloadAsync();
        await Expect(page.Locator("[data-from]")).ToHaveTextAsync(["You", "Carla Contact", "Support"]);
        await Expect(page.Locator("[data-text]").Last).ToHaveTextAsync("Fixed: the shop is back.");
        await Expect(page.Locator("[data-status]")).ToHaveTextAsync("Answered");
        await client.AssertNoProblemsAsync();
        await admin.AssertNoProblemsAsync();
    }
}
