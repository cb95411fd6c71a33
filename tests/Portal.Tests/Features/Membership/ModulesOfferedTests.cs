using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Features.Settings;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

/// <summary>
/// The permissions of modules Portal does not have (Single Sign-On, Domains, Quotes, Affiliates) stay in the model but are
/// shown and granted only when the admin offers the module; a permission already held is kept.
/// </summary>
[Collection(MembershipCollection.Name)]
public sealed class ModulesOfferedTests(PortalFixture portal)
{
    private static readonly string[] ModuleKeys = ["productsso", "domains", "managedomains", "quotes", "affiliates"];

    private static readonly string[] OwnKeys = ["profile", "contacts", "products", "manageproducts", "invoices", "tickets", "emails", "orders"];

    private static List<string> Shown(Page page) =>
        page.Document.QuerySelectorAll("main [data-permission-choices] input[data-permission]").Select(i => i.GetAttribute("value")!).ToList();

    private Task<string> StoredAsync(int clientId, int userId) =>
        portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == clientId && cu.UserId == userId).Select(cu => cu.StoredPermissions).SingleAsync());

    /// <summary>The five forms that grant permissions: the owner's invite and Manage Permissions, and the admin's three.</summary>
    private async Task<IReadOnlyList<(string Form, Page Page)>> PermissionFormsAsync(Browser owner, Browser admin, int clientId, int memberId, string searchEmail) =>
    [
        ("invite", await owner.GetAsync("/account/users/invite")),
        ("manage permissions", await owner.GetAsync($"/account/users/{memberId}/permissions")),
        ("admin invite", await admin.GetAsync($"/admin/clients/{clientId}/users/invite")),
        ("admin associate", await admin.GetAsync($"/admin/clients/{clientId}/users?q={Uri.EscapeDataString(searchEmail)}")),
        ("admin manage permissions", await admin.GetAsync($"/admin/clients/{clientId}/users/{memberId}/permissions")),
    ];

    [Fact]
    public async Task By_default_no_permission_form_shows_the_permissions_of_modules_Portal_does_not_have()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Modules Default Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var outsider = await portal.CreateUserAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        foreach (var (form, page) in await PermissionFormsAsync(ownerBrowser, admin, client.Id, member.Id, outsider.Email!))
        {
            Assert.True(page.Status == HttpStatusCode.OK, form);
            Assert.True(OwnKeys.SequenceEqual(Shown(page)), $"{form}: {string.Join(",", Shown(page))}");
            Assert.DoesNotContain("Single Sign-On", page.Document.QuerySelector("main [data-permission-choices]")!.TextContent);
        }

        var settings = await admin.GetAsync("/admin/settings");
        Assert.Equal(["sso", "domains", "quotes", "affiliates"], settings.Document.QuerySelectorAll("[data-modules-offered] input[type=checkbox]").Select(i => i.GetAttribute("value")));
        Assert.Empty(settings.Document.QuerySelectorAll("[data-modules-offered] input[checked]"));
        Assert.All(settings.Document.QuerySelectorAll("[data-modules-offered] input"), i => Assert.NotNull(settings.Document.QuerySelector($"label[for='{i.Id}']")));
    }

    [Fact]
    public async Task Offering_a_module_shows_its_permissions_on_every_form_and_the_change_is_logged()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Modules Offered Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var outsider = await portal.CreateUserAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        var saved = await admin.SubmitAsync("/admin/settings", new() { ["Input.ModulesOffered"] = "domains" });
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Contains("Setting Modules Offered changed from none to Domains",
                await portal.WithDbAsync(db => db.ActivityLog.Select(e => e.Description).ToListAsync()));
            foreach (var (form, page) in await PermissionFormsAsync(ownerBrowser, admin, client.Id, member.Id, outsider.Email!))
            {
                var shown = Shown(page);
                Assert.True(shown.Contains("domains") && shown.Contains("managedomains"), $"{form}: {string.Join(",", shown)}");
                Assert.True(!shown.Contains("quotes") && !shown.Contains("productsso") && !shown.Contains("affiliates"), $"{form}: {string.Join(",", shown)}");
            }

            await ownerBrowser.InviteAsync(PortalFixture.UniqueEmail("domains-invitee"), "domains", "tickets");
            Assert.Equal("domains,tickets", await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == client.Id).Select(i => i.Permissions).SingleAsync()));
        }
        finally
        {
            await admin.SubmitAsync("/admin/settings", new() { ["Input.ModulesOffered"] = null! });
        }

        Assert.Empty((await portal.WithDbAsync(db => new SystemSettings(db).GetAsync())).Modules);
    }

    [Fact]
    public async Task A_crafted_invite_with_a_hidden_permission_grants_only_the_offered_ones_and_one_with_only_hidden_ones_is_refused()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Modules Crafted Invite Co");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);

        var invited = await ownerBrowser.InviteAsync(PortalFixture.UniqueEmail("crafted-invitee"), "invoices", "quotes", "productsso");
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        Assert.Equal("invoices", await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == client.Id).Select(i => i.Permissions).SingleAsync()));

        var refused = await Page.ReadAsync(await ownerBrowser.InviteAsync(PortalFixture.UniqueEmail("hidden-only"), "quotes", "affiliates"));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(PermissionsForm.NoneChosen, refused.FieldErrors);
        Assert.Equal(1, await portal.WithDbAsync(db => db.Invitations.CountAsync(i => i.ClientId == client.Id)));
    }

    [Fact]
    public async Task Manage_permissions_ignores_a_crafted_hidden_permission_and_keeps_one_the_user_already_holds()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Modules Kept Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets, Permission.Quotes);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);

        var form = await ownerBrowser.GetAsync($"/account/users/{member.Id}/permissions");
        Assert.Equal(["tickets"], form.Document.QuerySelectorAll("input[name='Input.Permissions'][checked]").Select(i => i.GetAttribute("value")));
        Assert.Contains("View & Accept Quotes", form.Document.QuerySelector("[data-kept-permissions]")!.TextContent);
        var response = await ownerBrowser.PostAsync($"/account/users/{member.Id}/permissions",
        [
            new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Version", form.Document.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!),
            new("Input.Permissions", "invoices"),
            new("Input.Permissions", "affiliates"),
        ]);

        Assert.Equal("/account/users", response.Headers.Location!.PathAndQuery());
        Assert.Equal("invoices,quotes", await StoredAsync(client.Id, member.Id));
    }

    [Fact]
    public async Task All_permissions_narrowed_to_a_chosen_set_keeps_no_permission_of_a_module_not_offered()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Modules Narrowed Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, [.. Enum.GetValues<Permission>()]);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);

        var form = await ownerBrowser.GetAsync($"/account/users/{member.Id}/permissions");
        Assert.Null(form.Document.QuerySelector("[data-kept-permissions]"));
        var response = await ownerBrowser.PostAsync($"/account/users/{member.Id}/permissions",
        [
            new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Version", form.Document.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!),
            new("Input.Permissions", "tickets"),
        ]);

        Assert.Equal("/account/users", response.Headers.Location!.PathAndQuery());
        Assert.Equal("tickets", await StoredAsync(client.Id, member.Id));
    }

    [Fact]
    public async Task The_admins_associate_form_does_not_grant_a_crafted_hidden_permission()
    {
        var (_, client) = await portal.CreateOwnerAsync("Modules Associate Co");
        var user = await portal.CreateUserAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/clients/{client.Id}/users?q={Uri.EscapeDataString(user.Email!)}";
        var page = await admin.GetAsync(url);

        var response = await admin.PostAsync(url,
        [
            new("__RequestVerificationToken", page.Document.QuerySelector("form[data-associate-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.UserId", user.Id.ToString()),
            new("Input.Permissions", "tickets"),
            new("Input.Permissions", "managedomains"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("tickets", await StoredAsync(client.Id, user.Id));
    }

    [Fact]
    public void Every_permission_of_the_model_belongs_to_Portal_or_to_one_optional_module()
    {
        Assert.Equal(13, Permissions.All.Count);
        Assert.Equal(ModuleKeys, Permissions.All.Where(p => p.Module is not null).Select(p => p.Key));
        Assert.Equal(PermissionSet.Every, Permissions.Offered(OptionalModules.All.Select(m => m.Module).ToHashSet()));
        Assert.Equal(OwnKeys, Permissions.Offered(new HashSet<OptionalModule>()).Keys);
    }
}
