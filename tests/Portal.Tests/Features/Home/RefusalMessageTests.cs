using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Settings;
using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Features.Home;

/// <summary>A refusal says what was missing and what the user may do; a lost account is explained on arrival.</summary>
[Collection(HomeCollection.Name)]
public sealed class RefusalMessageTests(PortalFixture portal)
{
    [Fact]
    public async Task The_403_page_names_the_missing_permission_and_lists_what_the_user_may_do()
    {
        var (_, client) = await portal.CreateOwnerAsync("Named Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);

        var page = await browser.GetAsync("/account/profile");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Equal("Modify Master Account Profile", page.Document.QuerySelector("[data-missing-permission]")?.TextContent);
        Assert.Contains("in Named Co (Test User)", page.Document.QuerySelector("[data-forbidden]")!.TextContent);
        Assert.Equal(["View & Open Support Tickets"], page.Document.QuerySelectorAll("[data-held-permissions] li").Select(li => li.TextContent));
        Assert.NotNull(page.Document.QuerySelector("main a[href='/dashboard']"));
    }

    [Fact]
    public async Task An_owner_only_page_says_only_the_owner_may_use_it()
    {
        var (_, client) = await portal.CreateOwnerAsync("Owned Co");
        var deputy = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, deputy.Id, [.. Enum.GetValues<Permission>()]);
        using var browser = await portal.LoginAsync(deputy.Email!);

        var page = await browser.GetAsync("/account/users");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Equal("owner-only", page.Document.QuerySelector("[data-forbidden]")?.GetAttribute("data-forbidden"));
        Assert.Contains("Only the owner of Owned Co (Test User) can use it.", page.Text);
    }

    [Fact]
    public async Task An_owner_whose_user_management_the_provider_turned_off_is_told_so_not_to_ask_the_owner()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Switched Off Co");
        await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "true");
        try
        {
            using var browser = await portal.LoginAsync(owner.Email!);

            var page = await browser.GetAsync("/account/users/invite");

            Assert.Equal(HttpStatusCode.Forbidden, page.Status);
            var message = page.Document.QuerySelector("[data-forbidden]")!;
            Assert.Equal("user-management-off", message.GetAttribute("data-forbidden"));
            Assert.Contains("has turned off user management in the client area", message.TextContent);
            Assert.DoesNotContain("Ask the account owner", page.Text);
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "false");
        }
    }

    [Fact]
    public async Task A_removed_user_is_told_on_arrival_that_their_access_was_removed()
    {
        var (_, client) = await portal.CreateOwnerAsync("Left Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard")).Status);

        await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId == member.Id).ExecuteDeleteAsync());
        var page = await browser.GetFollowingAsync("/dashboard");

        Assert.Contains("You no longer have access to Left Co (Test User), the account you were working in", page.Document.QuerySelector("[data-lost-account]")?.TextContent);
        Assert.Contains("is not associated with any other client account", page.Text);
    }

    [Fact]
    public async Task A_user_whose_active_account_was_closed_is_told_so_on_arrival()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Shut Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard")).Status);

        await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, ClientStatus.Closed)));
        var page = await browser.GetFollowingAsync("/dashboard");

        Assert.Contains("Shut Co (Test User), the account you were working in, has been closed.", page.Document.QuerySelector("[data-lost-account]")?.TextContent);
    }
}
