using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Shared;

/// <summary>Every form that grants permissions opens the same way, and "All Permissions" means all, whatever else is ticked.</summary>
[Collection(SharedCollection.Name)]
public sealed class PermissionChoicesTests(PortalFixture portal)
{
    [Fact]
    public async Task Every_form_that_grants_permissions_opens_with_all_permissions_ticked_and_shows_every_box_ticked()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var candidate = await portal.CreateUserAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        var forms = new[]
        {
            (await ownerBrowser.GetAsync("/account/users/invite")).Document,
            (await admin.GetAsync($"/admin/clients/{client.Id}/users/invite")).Document,
            (await admin.GetAsync($"/admin/clients/{client.Id}/users?q={Uri.EscapeDataString(candidate.Email!)}")).Document,
        };

        foreach (var form in forms)
        {
            var all = form.QuerySelector("[data-permission-choices] [data-all-permissions]")!;
            Assert.True(all.HasAttribute("checked"));
            var boxes = form.QuerySelectorAll("[data-permission-choices] [data-permission]");
            // Every permission on offer: those of optional modules are offered by none of them by default (ModulesOfferedTests).
            Assert.Equal(Permissions.All.Count(p => p.Module is null), boxes.Length);
            Assert.All(boxes, box => Assert.True(box.HasAttribute("checked")));
        }
    }

    [Fact]
    public async Task All_permissions_with_one_box_ticked_grants_all_permissions()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("all-and-one");

        var response = await browser.PostAsync("/account/users/invite", [
            new("__RequestVerificationToken", await browser.AntiforgeryTokenAsync("/account/users/invite")),
            new("Input.Email", invited), new("Input.AllPermissions", "true"), new("Input.Permissions", "tickets")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var invitation = await portal.WithDbAsync(db => db.Invitations.SingleAsync(i => i.ClientId == client.Id && i.Email == invited));
        Assert.True(invitation.PermissionSet.IsEvery);
    }
}
