using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class RegisterTests(PortalFixture portal)
{
    public static Dictionary<string, string> Form(string email, string company = "Bright Pixels", string? password = PortalFixture.Password) => new()
    {
        ["Input.FirstName"] = "Rita",
        ["Input.LastName"] = "Registrant",
        ["Input.CompanyName"] = company,
        ["Input.Email"] = email,
        ["Input.Address1"] = "12 Market Street",
        ["Input.City"] = "Leeds",
        ["Input.State"] = "",
        ["Input.Postcode"] = "LS1 1AA",
        ["Input.Country"] = "United Kingdom",
        ["Input.Phone"] = "+44 113 496 0000",
        ["Input.Password"] = password ?? "",
        ["Input.ConfirmPassword"] = password ?? "",
    };

    [Fact]
    public async Task Create_another_account_opens_with_the_signed_in_users_first_name_last_name_and_email()
    {
        var user = await portal.CreateUserAsync(firstName: "Petra", lastName: "Prefilled");
        using var browser = await portal.LoginAsync(user.Email!);

        var page = await browser.GetAsync("/register");

        Assert.Equal("Petra", page.Document.QuerySelector("input[name='Input.FirstName']")!.GetAttribute("value"));
        Assert.Equal("Prefilled", page.Document.QuerySelector("input[name='Input.LastName']")!.GetAttribute("value"));
        Assert.Equal(user.Email, page.Document.QuerySelector("input[name='Input.Email']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_country_field_suggests_the_names_of_the_worlds_countries()
    {
        using var browser = portal.NewBrowser();

        var page = await browser.GetAsync("/register");

        var country = page.Document.QuerySelector("input[name='Input.Country']")!;
        var suggestions = page.Document.QuerySelectorAll($"datalist#{country.GetAttribute("list")} option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("United Kingdom", suggestions);
        Assert.Contains("Côte d'Ivoire", suggestions);
        Assert.True(suggestions.Count > 240);
    }

    [Fact]
    public async Task Registering_creates_the_client_its_owner_user_and_an_association_with_all_thirteen_permissions()
    {
        var email = PortalFixture.UniqueEmail("rita");
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/register", Form(email));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("Bright Pixels (Rita Registrant)", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        Assert.Equal(13, dashboard.Document.QuerySelectorAll("[data-permissions] li").Length);

        await portal.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            var client = await db.Clients.Include(c => c.Users).SingleAsync(c => c.OwnerUserId == user.Id);
            Assert.Equal("Rita", user.FirstName);
            Assert.Equal(email, client.Email);
            var association = Assert.Single(client.Users);
            Assert.Equal(user.Id, association.UserId);
            Assert.True(association.Permissions.IsEvery);
            Assert.Equal(13, association.Permissions.Keys.Count());
            Assert.NotNull(association.LastLoginAt);
        });
    }

    [Fact]
    public async Task The_owner_always_has_every_permission_and_cannot_lose_one()
    {
        var (owner, client) = await portal.CreateOwnerAsync();

        await portal.WithDbAsync(async db =>
        {
            var association = await db.ClientUsers.Include(cu => cu.Client).SingleAsync(cu => cu.ClientId == client.Id && cu.UserId == owner.Id);
            Assert.Throws<InvalidOperationException>(() => association.ChangePermissions(PermissionSet.Of([Permission.Tickets])));

            // Even a stored set that somehow lost keys reads as every permission for the owner.
            await db.ClientUsers.Where(cu => cu.Id == association.Id).ExecuteUpdateAsync(s => s.SetProperty(cu => cu.StoredPermissions, "tickets"));
        });

        using var browser = await portal.LoginAsync(owner.Email!);
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Equal(13, dashboard.Document.QuerySelectorAll("[data-permissions] li").Length);
    }

    [Fact]
    public async Task A_signed_in_user_who_registers_another_account_becomes_its_owner_without_a_second_user()
    {
        var (owner, first) = await portal.CreateOwnerAsync("First Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        var form = Form("billing@second.example", "Second Co");
        form.Remove("Input.Password");
        form.Remove("Input.ConfirmPassword");
        var response = await browser.SubmitAsync("/register", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Contains("Second Co", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        await portal.WithDbAsync(async db =>
        {
            Assert.Equal(0, await db.Users.CountAsync(u => u.Email == "billing@second.example"));
            var owned = await db.Clients.Where(c => c.OwnerUserId == owner.Id).Select(c => c.CompanyName).ToListAsync();
            Assert.Equal(["First Co", "Second Co"], owned.Order());
        });
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "Input.FirstName", new string('x', 300), "First name must be at most 100 characters." },
        { "Input.LastName", "", "Last name is required." },
        { "Input.Email", "not-an-email", "Enter a valid email address, like name@example.com." },
        { "Input.Password", "password123", "Use at least 12 characters." },
        { "Input.Password", "passwordpassword", "This password is too easy to guess. Try a longer phrase of unrelated words." },
        { "Input.Phone", "call me\u0007", "Phone number must not contain control characters." },
        { "Input.City", "   ", "City is required." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_registration_input_gives_a_field_error_and_writes_nothing(string field, string value, string message)
    {
        var email = PortalFixture.UniqueEmail("bad");
        var form = Form(email);
        form[field] = value;
        if (field == "Input.Password")
        {
            form["Input.ConfirmPassword"] = value;
        }

        using var browser = portal.NewBrowser();
        var response = await browser.SubmitAsync("/register", form);
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(message, page.ErrorFor(field));
        Assert.Equal("true", page.Document.QuerySelector($"input[name='{field}']")!.GetAttribute("aria-invalid"));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Clients.CountAsync(c => c.Email == email)));
    }

    [Fact]
    public async Task Missing_fields_are_each_reported_and_nothing_is_written()
    {
        using var browser = portal.NewBrowser();
        var before = await portal.WithDbAsync(db => db.Clients.CountAsync());

        var response = await browser.SubmitAsync("/register", new Dictionary<string, string>());
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("First name is required.", page.ErrorFor("Input.FirstName"));
        Assert.Equal("Email address is required.", page.ErrorFor("Input.Email"));
        Assert.Equal("Password is required.", page.ErrorFor("Input.Password"));
        Assert.Equal(before, await portal.WithDbAsync(db => db.Clients.CountAsync()));
    }

    [Fact]
    public async Task A_script_in_the_company_name_is_shown_as_text()
    {
        var email = PortalFixture.UniqueEmail("xss");
        using var browser = portal.NewBrowser();

        await browser.SubmitAsync("/register", Form(email, "<script>alert('x')</script>"));
        var dashboard = await browser.GetAsync("/dashboard");

        Assert.Empty(dashboard.Document.QuerySelectorAll("main script"));
        Assert.Contains("<script>alert('x')</script> (Rita Registrant)", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
    }

    [Fact]
    public async Task An_email_that_already_has_a_user_is_refused_with_a_prompt_to_log_in_and_its_owner_is_told_a_few_times_an_hour()
    {
        var existing = await portal.CreateUserAsync();
        using var browser = portal.NewBrowser();

        var page = await Page.ReadAsync(await browser.SubmitAsync("/register", Form(existing.Email!.ToUpperInvariant())));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Log in instead", page.ErrorFor("Input.Email"));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Clients.CountAsync(c => c.OwnerUserId == existing.Id)));
        var notice = Assert.Single(await portal.MessagesToAsync(existing.Email!));
        Assert.Equal("AddressInUse", notice.Kind);
        Assert.Contains("nothing was created", notice.TextBody);

        for (var i = 0; i < AddressInUse.MaxPerHour + 2; i++)
        {
            Assert.Contains("Log in instead", (await Page.ReadAsync(await browser.SubmitAsync("/register", Form(existing.Email!)))).ErrorFor("Input.Email"));
        }

        Assert.Equal(AddressInUse.MaxPerHour, (await portal.MessagesToAsync(existing.Email!)).Count);
    }
}
