using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Clients;

[Collection(ClientsCollection.Name)]
public sealed class AdminAddClientTests(PortalFixture portal)
{
    private const string NewPassword = "copper lantern meadow quietly";

    public static Dictionary<string, string> Profile(string email, string company) => new()
    {
        ["Input.FirstName"] = "Olive",
        ["Input.LastName"] = "Owner",
        ["Input.CompanyName"] = company,
        ["Input.Email"] = email,
        ["Input.Address1"] = "3 Quay Road",
        ["Input.City"] = "Bristol",
        ["Input.State"] = "",
        ["Input.Postcode"] = "BS1 4DJ",
        ["Input.Country"] = "United Kingdom",
        ["Input.Phone"] = "+44 117 496 0000",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> form, params (string Key, string Value)[] values)
    {
        foreach (var (key, value) in values)
        {
            form[key] = value;
        }

        return form;
    }

    [Fact]
    public async Task A_new_owner_is_created_from_the_profile_and_sets_their_own_password_from_the_emailed_link()
    {
        var email = PortalFixture.UniqueEmail("olive");
        var company = "New Owner Co " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync("/admin/clients/new", With(Profile(email, company), ("Input.Owner", "NewUser"), ("Input.SendWelcomeEmail", "true")), "form[data-add-client]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var client = await portal.WithDbAsync(db => db.Clients.Include(c => c.Owner).Include(c => c.Users).SingleAsync(c => c.CompanyName == company));
        Assert.Equal($"/admin/clients/{client.Id}", response.Headers.Location!.PathAndQuery());
        Assert.Equal(email, client.Owner.Email);
        Assert.Equal("Olive", client.Owner.FirstName);
        Assert.Null(client.Owner.PasswordHash);
        Assert.True(Assert.Single(client.Users).Permissions.IsEvery);

        var welcome = Assert.Single(await portal.MessagesToAsync(email));
        Assert.Equal("Welcome to Portal: set your password", welcome.Subject);
        Assert.Equal(client.Id, welcome.ClientId);
        Assert.Contains(company, welcome.TextBody);
        Assert.Contains("choose its password to get started", welcome.TextBody);
        var entry = await portal.WithDbAsync(db => db.ActivityLog.SingleAsync(e => e.ClientId == client.Id && e.Description.StartsWith("Admin created client account")));
        Assert.NotNull(entry.AdminId);
        Assert.Contains(email, entry.Description);

        using var owner = portal.NewBrowser();
        var link = await portal.LatestResetLinkAsync(email);
        var chosen = await owner.SubmitAsync(link, new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });
        Assert.Equal("/dashboard", chosen.Headers.Location!.PathAndQuery());
        var first = await owner.FollowAsync(chosen);
        Assert.Contains("Your password is set, and you are logged in", first.Document.QuerySelector("[data-flash]")!.TextContent);
        Assert.Contains(company, first.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        Assert.Single(await portal.MessagesToAsync(email));
        using var signedIn = await portal.LoginAsync(email, NewPassword);
        var dashboard = await signedIn.GetAsync("/dashboard");
        Assert.Contains(company, dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
    }

    [Fact]
    public async Task An_existing_user_found_by_search_becomes_the_owner_without_a_new_user()
    {
        var existing = await portal.CreateUserAsync(firstName: "Existing");
        var contact = PortalFixture.UniqueEmail("contact");
        var company = "Existing Owner Co " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();

        var search = await admin.GetAsync($"/admin/clients/new?q={Uri.EscapeDataString(existing.Email!)}");
        Assert.NotNull(search.Document.QuerySelector($"input[name='Input.ExistingUserId'][value='{existing.Id}']"));
        var response = await admin.SubmitAsync(search, With(Profile(contact, company), ("Input.Owner", "ExistingUser"), ("Input.ExistingUserId", existing.Id.ToString())), "form[data-add-client]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var client = await portal.WithDbAsync(db => db.Clients.Include(c => c.Users).SingleAsync(c => c.CompanyName == company));
        Assert.Equal(existing.Id, client.OwnerUserId);
        Assert.Equal(contact, client.Email);
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == contact)));
        Assert.Empty(await portal.MessagesToAsync(existing.Email!));
        using var owner = await portal.LoginAsync(existing.Email!);
        Assert.Contains(company, (await owner.GetAsync("/dashboard")).Document.QuerySelector("[data-dashboard-account]")!.TextContent);
    }

    [Fact]
    public async Task Searching_for_the_owner_keeps_the_profile_already_typed_and_saves_nothing()
    {
        var existing = await portal.CreateUserAsync(firstName: "Searched");
        var company = "Typed First Co " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync("/admin/clients/new",
            With(Profile(PortalFixture.UniqueEmail("contact"), company), ("q", existing.Email!), ("FindOwner", "true")), "form[data-add-client]");
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(company, page.Document.QuerySelector("#Input_CompanyName")!.GetAttribute("value"));
        Assert.Equal("3 Quay Road", page.Document.QuerySelector("#Input_Address1")!.GetAttribute("value"));
        Assert.NotNull(page.Document.QuerySelector("#Input_Owner_Existing[checked]"));
        Assert.NotNull(page.Document.QuerySelector($"input[name='Input.ExistingUserId'][value='{existing.Id}']"));
        Assert.Empty(page.Document.QuerySelector("[data-valmsg-for='Input.ExistingUserId']")!.TextContent.Trim());
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.CompanyName == company)));
    }

    [Fact]
    public async Task A_new_owner_email_that_belongs_to_a_user_is_refused()
    {
        var taken = await portal.CreateUserAsync();
        var company = "Refused Co " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync("/admin/clients/new", With(Profile(taken.Email!.ToUpperInvariant(), company), ("Input.Owner", "NewUser")), "form[data-add-client]");
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(AddClient.UserEmailTaken, page.ErrorFor("Input.Email"));
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.CompanyName == company)));
    }

    [Fact]
    public async Task A_contact_email_another_client_uses_is_refused()
    {
        var (other, _) = await portal.CreateOwnerAsync();
        var owner = await portal.CreateUserAsync();
        var company = "Duplicate Contact Co " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();

        var search = await admin.GetAsync($"/admin/clients/new?q={Uri.EscapeDataString(owner.Email!)}");
        var response = await admin.SubmitAsync(search, With(Profile(other.Email!, company), ("Input.Owner", "ExistingUser"), ("Input.ExistingUserId", owner.Id.ToString())), "form[data-add-client]");
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(ClientEmails.Taken, page.ErrorFor("Input.Email"));
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.CompanyName == company)));
    }

    [Fact]
    public async Task An_unknown_existing_user_is_refused()
    {
        var someone = await portal.CreateUserAsync();
        var company = "Unknown Owner Co " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();

        var search = await admin.GetAsync($"/admin/clients/new?q={Uri.EscapeDataString(someone.Email!)}");
        var response = await admin.SubmitAsync(search, With(Profile(PortalFixture.UniqueEmail("contact"), company), ("Input.Owner", "ExistingUser"), ("Input.ExistingUserId", "99999999")), "form[data-add-client]");
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(AddClient.UnknownUser, page.Document.QuerySelector("[data-valmsg-for='Input.ExistingUserId']")!.TextContent.Trim());
        Assert.NotNull(page.Document.QuerySelector($"input[name='Input.ExistingUserId'][value='{someone.Id}']"));
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.CompanyName == company)));
    }
}
