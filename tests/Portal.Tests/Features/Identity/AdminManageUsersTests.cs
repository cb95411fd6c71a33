using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class AdminManageUsersTests(PortalFixture portal)
{
    private static List<string> Column(Page page, int index) =>
        page.Document.QuerySelectorAll("[data-users] tbody tr").Select(r => r.Children[index].TextContent.Trim()).ToList();

    [Fact]
    public async Task The_list_searches_name_and_email_by_substring_and_pages()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 27; i++)
        {
            await portal.CreateUserAsync(PortalFixture.UniqueEmail($"list{marker}"), firstName: $"Lister{i:00}", lastName: "Paged");
        }

        var byName = await portal.CreateUserAsync(firstName: $"Zed{marker}Name");
        using var admin = await portal.CreateAdminBrowserAsync();

        var first = await admin.GetAsync($"/admin/users?q={marker}");
        var second = await admin.GetAsync(first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var name = await admin.GetAsync($"/admin/users?q={marker.ToUpperInvariant()}NAME");
        var none = await admin.GetAsync($"/admin/users?q=zz{marker}zz");

        Assert.Contains("28 users", first.Text);
        Assert.Equal(25, first.Document.QuerySelectorAll("[data-users] tbody tr").Length);
        Assert.Equal(3, second.Document.QuerySelectorAll("[data-users] tbody tr").Length);
        Assert.NotNull(first.Document.QuerySelector($"a[rel=next][href*='q={marker}']"));
        Assert.Equal([byName.Id.ToString()], Column(name, 0));
        Assert.NotNull(none.Document.QuerySelector("[data-empty-state]"));
    }

    [Fact]
    public async Task Columns_sort_both_ways_and_an_unknown_sort_key_falls_back_to_the_id()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var users = new List<Portal.Features.Identity.User>();
        foreach (var (first, email) in new[] { ("Bea", "c"), ("Ann", "a"), ("Cat", "b") })
        {
            users.Add(await portal.CreateUserAsync($"{email}{marker}@example.test", firstName: first, lastName: marker));
        }

        using var admin = await portal.CreateAdminBrowserAsync();

        var byFirstName = await admin.GetAsync($"/admin/users?q={marker}&sort=firstname");
        var byEmailDescending = await admin.GetAsync($"/admin/users?q={marker}&sort=email&dir=desc");
        var unknown = await admin.GetAsync($"/admin/users?q={marker}&sort=PasswordHash");

        Assert.Equal(["Ann", "Bea", "Cat"], Column(byFirstName, 1));
        Assert.Equal(["Bea", "Cat", "Ann"], Column(byEmailDescending, 1));
        Assert.StartsWith("c" + marker, Column(byEmailDescending, 3)[0]);
        Assert.StartsWith("a" + marker, Column(byEmailDescending, 3)[2]);
        Assert.Equal(users.Select(u => u.Id.ToString()).ToList(), Column(unknown, 0));
        Assert.Contains("dir=desc", byFirstName.Document.QuerySelector("a[data-sort=firstname]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_verified_email_shows_a_badge()
    {
        var verified = await portal.CreateUserAsync();
        var unverified = await portal.CreateUserAsync();
        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == verified.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/users?q={Uri.EscapeDataString(verified.Email!)}");
        var other = await admin.GetAsync($"/admin/users?q={Uri.EscapeDataString(unverified.Email!)}");

        Assert.NotNull(page.Document.QuerySelector($"[data-user-id='{verified.Id}'] [data-verified]"));
        Assert.Null(other.Document.QuerySelector($"[data-user-id='{unverified.Id}'] [data-verified]"));
    }
}
