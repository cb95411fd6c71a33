using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

/// <summary>Step-up on an owner's permission changes: a proof older than the setting (10 minutes) is asked again first.</summary>
[Collection(MembershipCollection.Name)]
public sealed class ManagePermissionsStepUpTests(PortalFixture portal)
{
    private Task<string> StoredAsync(int clientId, int userId) =>
        portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == clientId && cu.UserId == userId).Select(cu => cu.StoredPermissions + ":" + cu.Version).SingleAsync());

    [Fact]
    public async Task An_owner_whose_last_proof_is_old_confirms_before_permissions_change_and_nothing_changes_until_then()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Step Up Permissions Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets, Permission.Invoices);
        using var browser = await portal.LoginAsync(owner.Email!);
        var url = $"/account/users/{member.Id}/permissions";
        var form = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Version", form.Document.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!),
            new("Input.Permissions", "tickets"),
        };
        var before = await StoredAsync(client.Id, member.Id);

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));
        using (var stalePost = await browser.PostAsync(url, fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, stalePost.StatusCode);
            Assert.Equal($"/user/confirm?returnUrl={Uri.EscapeDataString(url)}", stalePost.Headers.Location!.PathAndQuery());
        }

        Assert.Equal(before, await StoredAsync(client.Id, member.Id));
        using (var staleGet = await browser.Client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Redirect, staleGet.StatusCode);
            Assert.StartsWith("/user/confirm?returnUrl=", staleGet.Headers.Location!.PathAndQuery());
        }

        var wrong = await Page.ReadAsync(await browser.SubmitAsync($"/user/confirm?returnUrl={Uri.EscapeDataString(url)}", new() { ["Input.Password"] = "not my password at all" }));
        Assert.Equal(Portal.Features.Identity.ConfirmIdentity.Wrong, wrong.ErrorFor("Input.Password"));
        using (var stillStale = await browser.PostAsync(url, fields))
        {
            Assert.StartsWith("/user/confirm", stillStale.Headers.Location!.PathAndQuery());
        }

        Assert.Equal(before, await StoredAsync(client.Id, member.Id));

        var confirmed = await browser.SubmitAsync($"/user/confirm?returnUrl={Uri.EscapeDataString(url)}", new() { ["Input.Password"] = PortalFixture.Password });
        Assert.Equal(url, confirmed.Headers.Location!.PathAndQuery());
        using var saved = await browser.PostAsync(url, fields);
        Assert.Equal("/account/users", saved.Headers.Location!.PathAndQuery());
        Assert.Equal(PermissionSet.Of([Permission.Tickets]).Stored, await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId == member.Id).Select(cu => cu.StoredPermissions).SingleAsync()));
    }
}
