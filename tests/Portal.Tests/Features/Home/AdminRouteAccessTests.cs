using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Home;

[Collection(HomeCollection.Name)]
public sealed class AdminRouteAccessTests(PortalFixture portal)
{
    public static TheoryData<string> Routes =>
    [
        "/admin/clients/new", "/admin/clients/{client}/users", "/admin/clients/{client}/users/{user}/permissions",
        "/admin/clients/{client}/users/{user}/make-owner", "/admin/clients/{client}/users/{user}/remove",
        "/admin/clients/{client}/match?direction=UserToClient", "/admin/clients/{client}/delete",
        "/admin/users", "/admin/users/{user}", "/admin/users/{user}/delete", "/admin/settings", "/admin/prune",
    ];

    private static void AssertRefused(HttpResponseMessage response, string url)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{url}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery());
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Anonymous_visitors_are_refused(string route)
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var url = route.Replace("{client}", client.Id.ToString()).Replace("{user}", owner.Id.ToString());
        using var browser = portal.NewBrowser();

        AssertRefused(await browser.Client.GetAsync(url), url);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Signed_in_client_users_are_refused_even_on_their_own_account(string route)
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var url = route.Replace("{client}", client.Id.ToString()).Replace("{user}", owner.Id.ToString());
        using var browser = await portal.LoginAsync(owner.Email!);

        AssertRefused(await browser.Client.GetAsync(url), url);
    }

    [Fact]
    public async Task A_client_users_post_to_delete_their_client_is_refused_and_deletes_nothing()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var response = await browser.PostAsync($"/admin/clients/{client.Id}/delete", [
            new("Input.Confirm", "true"),
            new("Input.DeleteUsers", "true"),
            new("__RequestVerificationToken", await browser.AntiforgeryTokenAsync("/dashboard")),
        ]);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.Id == client.Id)));
        Assert.True(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == owner.Id)));
    }
}
