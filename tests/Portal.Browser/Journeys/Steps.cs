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
        // The time zone is offered from the browser's own; the visitor keeps it.
        await Expect(page.GetByLabel("Time zone")).ToHaveValueAsync(Visitor.BrowserZone);
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
        await visitor.OpenMainMenuOnPhoneAsync();
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

    /// <summary>
    /// Follows a link of the main navigation bar (on a phone, after opening the folded menu); a link inside a group
    /// (Services, Support, Account) is reached by opening the group first, as a person does.
    /// </summary>
    public static async Task NavigateAsync(this Visitor visitor, string link)
    {
        await visitor.OpenMainMenuOnPhoneAsync();
        var nav = visitor.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        var target = nav.GetByRole(AriaRole.Link, new() { Name = link, Exact = true, IncludeHidden = true });
        var inGroup = visitor.Page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true, IncludeHidden = true });
        var toggle = nav.Locator("li.dropdown").Filter(new() { Has = inGroup }).GetByRole(AriaRole.Button);
        // A click that lands before the menu's script has started opens nothing: the group is opened until it shows the link.
        for (var attempt = 1; !await target.IsVisibleAsync(); attempt++)
        {
            if (await toggle.GetAttributeAsync("aria-expanded") != "true")
            {
                await toggle.ClickAsync();
            }

            try
            {
                await Expect(target).ToBeVisibleAsync(new() { Timeout = 10_000 });
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }

        await target.ClickAsync();
    }

    /// <summary>Switches to <paramref name="accountName"/> with the account switcher in the bar.</summary>
    public static async Task SwitchAccountFromBarAsync(this Visitor visitor, string currentName, string accountName)
    {
        await visitor.OpenMainMenuOnPhoneAsync();
        var switcher = visitor.Page.GetByRole(AriaRole.Button, new() { Name = $"Account: {currentName}", Exact = true });
        await switcher.ClickAsync();
        await Expect(switcher).ToHaveAttributeAsync("aria-expanded", "true");
        await visitor.Page.GetByRole(AriaRole.List, new() { Name = $"Account: {currentName}" })
            .GetByRole(AriaRole.Button, new() { Name = accountName, Exact = true }).ClickAsync();
        await ExpectDashboardAsync(visitor, accountName);
    }

    /// <summary>The main bar's items (the page links, the groups, the account switcher and the Hello menu) sit on one line.</summary>
    public static async Task ExpectMenuOnOneLineAsync(this Visitor visitor)
    {
        var tops = await visitor.Page.Locator("nav[aria-label=Main] .navbar-collapse > ul > li")
            .EvaluateAllAsync<double[]>("items => items.map(i => i.getBoundingClientRect().top)");
        Assert.True(tops.Length >= 6, $"the bar has {tops.Length} items");
        Assert.True(tops.Max() - tops.Min() < 4, $"the bar's items wrap: their tops are {string.Join(", ", tops)}");
    }

    /// <summary>On a phone the main menu is folded behind "Toggle navigation": opens it.</summary>
    public static async Task OpenMainMenuOnPhoneAsync(this Visitor visitor)
    {
        if (!visitor.IsPhone)
        {
            return;
        }

        var toggle = visitor.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });
        if (await toggle.GetAttributeAsync("aria-expanded") != "true")
        {
            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");

            // The menu unfolds with an animation: its links are clicked once it has finished (Bootstrap then marks it
            // "show"), not while a busy machine is still drawing it.
            await Expect(visitor.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).Locator(".navbar-collapse"))
                .ToHaveClassAsync(new Regex(@"(^|\s)show(\s|$)"));
        }
    }

    public static async Task ExpectDashboardAsync(this Visitor visitor, string accountName)
    {
        var page = visitor.Page;
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"You are working in {accountName}");
    }

    /// <summary>Fills the client profile fields (register, create account, the admin's Add New Client).</summary>
    public static async Task FillProfileAsync(IPage page, Person person, string company)
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

/// <summary>What an owner does in User Management, and what an invitee does with the link.</summary>
public static class UserManagementSteps
{
    public static async Task OpenUserManagementAsync(this Visitor visitor)
    {
        await visitor.NavigateAsync("User Management");
        await Expect(visitor.Page.GetByRole(AriaRole.Heading, new() { Name = "User Management", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Invites <paramref name="email"/> with All Permissions, the form's default, and sees the invitation pending.</summary>
    public static async Task InviteWithAllPermissionsAsync(this Visitor visitor, string email)
    {
        var page = visitor.Page;
        await visitor.OpenUserManagementAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Invite New User" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invite New User", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Email address").FillAsync(email);
        await Expect(page.GetByLabel("All Permissions")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send Invite" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "User Management", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"An invitation was sent to {email}.");
        var pending = page.GetByRole(AriaRole.Row, new() { Name = email });
        await Expect(pending).ToContainTextAsync("All Permissions");
        await Expect(pending.GetByRole(AriaRole.Button, new() { Name = "Send a New Link" })).ToBeVisibleAsync();
        await Expect(page.GetByText("the link sent before stops working")).ToBeVisibleAsync();
        await Expect(pending.GetByRole(AriaRole.Link, new() { Name = "Cancel Invite" })).ToBeVisibleAsync();
    }

    /// <summary>Invites <paramref name="email"/> with just <paramref name="permissions"/> and sees the invitation pending with them.</summary>
    public static async Task InviteAsync(this Visitor visitor, string email, params string[] permissions)
    {
        var page = visitor.Page;
        await visitor.OpenUserManagementAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Invite New User" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invite New User", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("All Permissions").UncheckAsync();
        foreach (var permission in permissions)
        {
            await page.GetByLabel(permission, new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Send Invite" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"An invitation was sent to {email}.");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = email })).ToContainTextAsync(string.Join(", ", permissions));
    }

    /// <summary>The link of the invitation e-mail the outbox job wrote to the pickup folder.</summary>
    public static async Task<string> InvitationLinkAsync(this PortalServer server, string email, string accountName)
    {
        var message = await server.WaitForMailAsync(email, $"You have been invited to {accountName}");
        var link = Regex.Match(message.TextBody ?? "", Regex.Escape(server.BaseUrl) + @"/invite/\S+");
        Assert.True(link.Success, "The invitation e-mail carries no invitation link:\n" + message.TextBody);
        return link.Value;
    }

    /// <summary>The user's row in the Users table of User Management.</summary>
    public static ILocator UserRow(this Visitor visitor, string email) =>
        visitor.Page.GetByRole(AriaRole.Row, new() { Name = email });

    public static async Task SetPermissionsAsync(this Visitor visitor, Person person, params string[] permissions)
    {
        var page = visitor.Page;
        await visitor.OpenUserManagementAsync();
        await visitor.UserRow(person.Email).GetByRole(AriaRole.Link, new() { Name = "Manage Permissions" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Manage Permissions", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"What {person.FirstName} {person.LastName} ({person.Email}) may do in this account.");
        await page.GetByLabel("All Permissions").UncheckAsync();
        foreach (var permission in permissions)
        {
            await page.GetByLabel(permission, new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save Changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your changes have been saved. They apply from the user's next page view.");
        await Expect(visitor.UserRow(person.Email)).ToContainTextAsync(string.Join(", ", permissions));
    }

    public static async Task RemoveAccessAsync(this Visitor visitor, Person person)
    {
        var page = visitor.Page;
        await visitor.OpenUserManagementAsync();
        await visitor.UserRow(person.Email).GetByRole(AriaRole.Link, new() { Name = "Remove Access" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Remove Access", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"Remove {person.FirstName} {person.LastName} ({person.Email}) from this account?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Access" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{person.Email} no longer has access to this account.");
        await Expect(visitor.UserRow(person.Email)).ToHaveCountAsync(0);
    }

    /// <summary>Opens the invitation link logged out and accepts it with the "I already have a login" form.</summary>
    public static async Task AcceptWithLoginAsync(this Visitor visitor, string link, string accountName, string sentBy, string email, string password = BrowserFixture.Password)
    {
        var page = visitor.Page;
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"You have been invited to {accountName}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"Invited by {sentBy}.");
        var login = page.GetByRole(AriaRole.Form, new() { Name = "I already have a login" });
        await Expect(login.GetByLabel("Email address")).ToHaveValueAsync(email);
        await login.GetByLabel("Password").FillAsync(password);
        await login.GetByRole(AriaRole.Button, new() { Name = "Log In and Accept" }).ClickAsync();
        await visitor.ExpectDashboardAsync(accountName);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Welcome to {accountName}! You now have access to this account.");
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

        // A new install requires a second factor of every admin: a new admin is sent to set one up first.
        await Expect(page).ToHaveURLAsync(new Regex("/admin(/security)?$"));
        if (page.Url.EndsWith("/admin/security", StringComparison.Ordinal))
        {
            await visitor.EnrolAuthenticatorAsync();
            await page.GotoAsync("/admin");
        }

        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
    }

    /// <summary>Sets up an authenticator app on the security page shown: reads the key as a person would type it, enters the app's code.</summary>
    public static async Task<string> EnrolAuthenticatorAsync(this Visitor visitor)
    {
        var page = visitor.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        var key = (await page.Locator("[data-authenticator-key]").InnerTextAsync()).Replace(" ", "").Trim();
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow);
        await page.GetByLabel("Code from the app").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
        await Expect(page.Locator("[data-recovery-code]")).ToHaveCountAsync(10);
        return key;
    }

    /// <summary>Follows a link of the admin navigation bar (on a phone, after opening its "Menu").</summary>
    public static async Task AdminNavigateAsync(this Visitor visitor, string link)
    {
        var bar = visitor.Page.GetByRole(AriaRole.Navigation, new() { Name = "Admin" });
        if (visitor.IsPhone)
        {
            var menu = bar.Locator("details.admin-menu");
            if (await menu.GetAttributeAsync("open") is null)
            {
                await bar.GetByText("Menu", new() { Exact = true }).ClickAsync();
            }
        }
        else
        {
            // From 768 px the menu is always open: no "Menu" button stands beside it.
            await Expect(bar.GetByText("Menu", new() { Exact = true })).ToBeHiddenAsync();
        }

        await bar.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
    }
}
