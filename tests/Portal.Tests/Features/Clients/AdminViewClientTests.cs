using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Clients;

[Collection(ClientsCollection.Name)]
public sealed class AdminViewClientTests(PortalFixture portal)
{
    private Task<Client> ClientAsync(int id) => portal.WithDbAsync(db => db.Clients.AsNoTracking().Include(c => c.Owner).SingleAsync(c => c.Id == id));

    [Fact]
    public async Task Closing_the_account_from_the_profile_saves_logs_and_shuts_its_users_out()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Closable Ltd");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/clients/{client.Id}", new() { ["Input.Status"] = "Closed", ["Input.Phone"] = "+1 555 0199" }, "form[data-profile-form]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await admin.FollowAsync(response);
        Assert.Equal("Closed", page.Document.QuerySelector("[data-status]")!.TextContent);
        var saved = await ClientAsync(client.Id);
        Assert.Equal(ClientStatus.Closed, saved.Status);
        Assert.NotNull(saved.ClosedAt);
        Assert.Equal("+1 555 0199", saved.Phone);
        var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id && e.AdminId != null).Select(e => e.Description).ToListAsync());
        Assert.Contains(log, d => d.EndsWith("status changed from Active to Closed"));
        Assert.Contains(log, d => d.Contains("updated the profile") && d.EndsWith(": phone"));
        Assert.StartsWith("/user/accounts", (await ownerBrowser.Client.GetAsync("/dashboard")).Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task An_invalid_profile_or_an_unknown_status_is_refused_beside_the_field()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var (other, _) = await portal.CreateOwnerAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/clients/{client.Id}";

        var badStatus = await Page.ReadAsync(await admin.SubmitAsync(url, new() { ["Input.Status"] = "Deleted" }, "form[data-profile-form]"));
        var takenEmail = await Page.ReadAsync(await admin.SubmitAsync(url, new() { ["Input.Email"] = other.Email! }, "form[data-profile-form]"));

        Assert.Equal(HttpStatusCode.OK, badStatus.Status);
        Assert.Equal(HttpStatusCode.OK, takenEmail.Status);
        Assert.Equal(ClientEmails.Taken, takenEmail.ErrorFor("Input.Email"));
        Assert.Equal(ClientStatus.Active, (await ClientAsync(client.Id)).Status);
        Assert.Equal(client.Email, (await ClientAsync(client.Id)).Email);
    }

    [Fact]
    public async Task Match_copies_the_owners_name_and_email_onto_the_client_after_a_preview()
    {
        var owner = await portal.CreateUserAsync(firstName: "Una", lastName: "User");
        var client = await portal.CreateClientAsync(owner.Id, "Match Ltd");
        var contact = PortalFixture.UniqueEmail("billing");
        await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FirstName, "Billing").SetProperty(c => c.LastName, "Desk").SetProperty(c => c.Email, contact)));
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/clients/{client.Id}/match?direction=UserToClient";

        var preview = await admin.GetAsync(url);

        Assert.Equal(3, preview.Document.QuerySelectorAll("[data-preview] tr[data-changed=true]").Length);
        Assert.Contains(contact, preview.Document.QuerySelector("[data-preview]")!.TextContent);
        Assert.Equal("Billing", (await ClientAsync(client.Id)).FirstName);

        var response = await admin.SubmitAsync(preview, []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await ClientAsync(client.Id);
        Assert.Equal(("Una", "User", owner.Email), (saved.FirstName, saved.LastName, saved.Email));
        Assert.Equal("Match Ltd", saved.CompanyName);
        Assert.NotNull((await admin.GetAsync(url)).Document.QuerySelector("[data-nothing-to-change]"));
    }

    [Fact]
    public async Task Match_copies_the_clients_details_onto_the_owner_only_when_the_email_is_free()
    {
        var owner = await portal.CreateUserAsync(firstName: "Vic", lastName: "User");
        var client = await portal.CreateClientAsync(owner.Id, "Match Back Ltd");
        var taken = await portal.CreateUserAsync();
        await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FirstName, "Victoria").SetProperty(c => c.Email, taken.Email!)));
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/clients/{client.Id}/match?direction=ClientToUser";

        var refused = await Page.ReadAsync(await admin.SubmitAsync(url, []));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(UpdateUser.EmailTaken, refused.Document.QuerySelector("[data-form-errors]")!.TextContent);
        var unchanged = await portal.WithDbAsync(db => db.Users.Where(u => u.Id == owner.Id).Select(u => new { u.FirstName, u.Email }).SingleAsync());
        Assert.Equal(("Vic", owner.Email), (unchanged.FirstName, unchanged.Email));

        var fresh = PortalFixture.UniqueEmail("fresh");
        await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Email, fresh)));
        var response = await admin.SubmitAsync(url, []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var user = await portal.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == owner.Id));
        Assert.Equal(("Victoria", fresh, false), (user.FirstName, user.Email, user.EmailConfirmed));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.AdminId != null && e.Description.Contains($"email from {owner.Email} to {fresh}"))));
    }
}
