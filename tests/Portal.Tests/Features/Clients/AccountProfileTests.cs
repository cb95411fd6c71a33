using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Clients;

[Collection(ClientsCollection.Name)]
public sealed class AccountProfileTests(PortalFixture portal)
{
    [Fact]
    public async Task A_user_with_the_profile_permission_edits_the_account_profile_and_it_is_logged()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Profile Co");
        var editor = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, editor.Id, Permission.Profile);
        using var browser = await portal.LoginAsync(editor.Email!);

        var response = await browser.SubmitAsync("/account/profile", new() { ["Input.CompanyName"] = "Profile Co Renamed", ["Input.City"] = "York" });

        Assert.Equal("/account/profile", response.Headers.Location!.PathAndQuery());
        var saved = await portal.WithDbAsync(db => db.Clients.SingleAsync(c => c.Id == client.Id));
        Assert.Equal(("Profile Co Renamed", "York", owner.Email), (saved.CompanyName, saved.City, saved.Email));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == editor.Id && e.ClientId == client.Id && e.Description.Contains("CompanyName") && e.Description.Contains("City"))));
    }

    [Fact]
    public async Task Without_the_permission_the_page_is_refused_and_lists_what_the_user_may_do()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets, Permission.Invoices);
        using var browser = await portal.LoginAsync(member.Email!);

        var page = await browser.GetAsync("/account/profile");
        var post = await browser.PostAsync("/account/profile", [new("__RequestVerificationToken", await browser.AntiforgeryTokenAsync("/dashboard")), new("Input.CompanyName", "Hijacked")]);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("You do not have the required permissions to access this page", page.Text);
        Assert.Equal(["View & Pay Invoices", "View & Open Support Tickets"], page.Document.QuerySelectorAll("[data-held-permissions] li").Select(li => li.TextContent));
        Assert.Null(page.Document.QuerySelector("nav a[href='/account/profile']"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("Acme Ltd", await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).Select(c => c.CompanyName).SingleAsync()));
    }

    [Fact]
    public async Task Losing_the_permission_refuses_the_very_next_request()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Profile, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/profile")).Status);

        await portal.WithDbAsync(async db =>
        {
            var association = await db.ClientUsers.Include(cu => cu.Client).SingleAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id);
            association.ChangePermissions(PermissionSet.Of([Permission.Tickets]));
            await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/account/profile")).Status);
    }
}
