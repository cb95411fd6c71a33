using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Infrastructure.Web;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class PeopleSearchTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private async Task<List<int>> UsersAsync(string text) =>
        [.. (await slice.SendAsync(new ListUsers.Query(text, null, false, PageRequest.First))).Items.Select(u => u.Id)];

    private async Task<List<int>> ClientsAsync(string text) =>
        [.. (await slice.SendAsync(new ListClients.Query(text, null, PageRequest.First))).Items.Select(c => c.Id)];

    [Fact]
    public async Task Users_are_found_by_any_part_of_their_name_or_email_in_any_case_with_or_without_accents()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var zoe = await portal.CreateUserAsync($"zoe.{marker}@exämple.test", firstName: "Zoë", lastName: $"Ångström{marker}");
        await portal.CreateUserAsync(firstName: "Other", lastName: $"Person{marker}");

        Assert.Equal([zoe.Id], await UsersAsync($"angstrom{marker}"));
        Assert.Equal([zoe.Id], await UsersAsync($"ZOE ÅNGSTRÖM{marker}"));
        Assert.Equal([zoe.Id], await UsersAsync($"zoe.{marker}@exa"));
        Assert.Equal([zoe.Id], await UsersAsync($"{marker[2..]} zoë"));
        Assert.Empty(await UsersAsync($"angstrom{marker} other"));
    }

    [Fact]
    public async Task Clients_are_found_by_name_company_or_email_and_a_renamed_company_by_its_new_name_only()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (_, client) = await portal.CreateOwnerAsync($"Société Générale {marker}");

        Assert.Equal([client.Id], await ClientsAsync($"societe gen {marker}"));
        Assert.Equal([client.Id], await ClientsAsync($"SOCIÉTÉ {marker}"));

        await slice.ExecuteDbContextAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"Clients\" SET \"CompanyName\" = {"Crédit Nouveau " + marker} WHERE \"Id\" = {client.Id}"));

        Assert.Empty(await ClientsAsync($"societe {marker}"));
        Assert.Equal([client.Id], await ClientsAsync($"credit nouveau {marker}"));
    }

    [Fact]
    public async Task The_admin_pickers_find_an_owner_by_a_fragment_of_an_accented_name()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var user = await portal.CreateUserAsync(firstName: "Renée", lastName: $"Müller{marker}");
        var (_, client) = await portal.CreateOwnerAsync($"Picker Co {marker}");
        using var admin = await portal.CreateAdminBrowserAsync();

        var addClient = await admin.GetAsync($"/admin/clients/new?q={Uri.EscapeDataString("renee muller" + marker)}");
        var usersTab = await admin.GetAsync($"/admin/clients/{client.Id}/users?q={Uri.EscapeDataString("MULLER" + marker)}");

        Assert.Contains($"Müller{marker}", addClient.Text);
        Assert.Contains($"Müller{marker}", usersTab.Text);
        Assert.NotNull(usersTab.Document.QuerySelector($"input[value='{user.Id}']"));
    }
}
