using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

/// <summary>Someone who registers: the profile fields of the register form and the account name the portal shows.</summary>
public sealed record Person(string FirstName, string LastName, string Company, string Email)
{
    public string AccountName => $"{Company} ({FirstName} {LastName})";

    public static Person New(string firstName = "Grace", string lastName = "Hopper") =>
        new(firstName, lastName, BrowserFixture.Unique("Harbour Studio"), BrowserFixture.UniqueEmail(firstName.ToLowerInvariant()));
}

/// <summary>
/// The steps journeys are made of, each done the way a person does it: by the visible names of links and buttons
/// and the labels of fields. A step that cannot find its control by role or label fails, which is the point.
/// </summary>
public static class ClientSteps
{
    public static async Task RegisterAsync(this Visitor visitor, Person person, string password = BrowserFixture.Password)
    {
        var page = visitor.Page;
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Register" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Register", Level = 1 })).ToBeVisibleAsync();
        await FillProfileAsync(page, person, person.Company);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await ExpectDashboardAsync(visitor, person.AccountName);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Welcome! Your account is ready.");
    }

    public static async Task LoginAsync(this Visitor visitor, string email, string password = BrowserFixture.Password)
    {
        var page = visitor.Page;
        await page.GotoAsync("/login");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Login" }).ClickAsync();
    }

    /// <summary>Opens the "Hello, Name!" menu and picks <paramref name="item"/> (a link or a button).</summary>
    public static async Task UseHelloMenuAsync(this Visitor visitor, string firstName, string item)
    {
        var page = visitor.Page;
        var menu = page.GetByRole(AriaRole.Button, new() { Name = $"Hello, {firstName}!" });
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        var items = page.GetByRole(AriaRole.List, new() { Name = $"Hello, {firstName}!" });
        var choice = items.GetByRole(AriaRole.Link, new() { Name = item, Exact = true })
            .Or(items.GetByRole(AriaRole.Button, new() { Name = item, Exact = true }));
        await choice.ClickAsync();
    }

    public static async Task CreateAnotherAccountAsync(this Visitor visitor, Person person, string company)
    {
        var page = visitor.Page;
        await visitor.UseHelloMenuAsync(person.FirstName, "Create Another Account");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create Another Account" })).ToBeVisibleAsync();
        await FillProfileAsync(page, person, company);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create Account" }).ClickAsync();
        await ExpectDashboardAsync(visitor, (person with { Company = company }).AccountName);
    }

    public static async Task SwitchAccountAsync(this Visitor visitor, string firstName, string accountName)
    {
        var page = visitor.Page;
        await visitor.UseHelloMenuAsync(firstName, "Switch Account");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose Account" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.List, new() { Name = "Your accounts" })
            .GetByRole(AriaRole.Button, new() { Name = accountName, Exact = true })
            .ClickAsync();
        await ExpectDashboardAsync(visitor, accountName);
    }

    public static async Task LogoutAsync(this Visitor visitor, string firstName)
    {
        var page = visitor.Page;
        await visitor.UseHelloMenuAsync(firstName, "Logout");
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Hello, {firstName}!" })).ToHaveCountAsync(0);
    }

    public static async Task ExpectDashboardAsync(this Visitor visitor, string accountName)
    {
        var page = visitor.Page;
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"You are working in {accountName}");
    }

    private static async Task FillProfileAsync(IPage page, Person person, string company)
    {
        await page.GetByLabel("First name").FillAsync(person.FirstName);
        await page.GetByLabel("Last name").FillAsync(person.LastName);
        await page.GetByLabel("Company name").FillAsync(company);
        await page.GetByLabel("Email address").FillAsync(person.Email);
        await page.GetByLabel("Address", new() { Exact = true }).FillAsync("1 Quay Street");
        await page.GetByLabel("City").FillAsync("Bristol");
        await page.GetByLabel("State or region").FillAsync("Somerset");
        await page.GetByLabel("Postcode").FillAsync("BS1 4DJ");
        await page.GetByLabel("Country").FillAsync("United Kingdom");
        await page.GetByLabel("Phone number").FillAsync("+44 117 496 0000");
    }
}

public static class AdminSteps
{
    public static async Task AdminLoginAsync(this Visitor visitor, string email, string password = BrowserFixture.Password)
    {
        var page = visitor.Page;
        await page.GotoAsync("/admin/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin Login" })).ToBeVisibleAsync();
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Login" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
    }

    /// <summary>Follows a link of the admin navigation bar.</summary>
    public static Task AdminNavigateAsync(this Visitor visitor, string link) =>
        visitor.Page.GetByRole(AriaRole.Navigation, new() { Name = "Admin" })
            .GetByRole(AriaRole.Link, new() { Name = link, Exact = true })
            .ClickAsync();
}
