using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Features.Settings;
using Portal.Tests.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Clients;

/// <summary>An owner closes their account: a request with a reason and the password, approved by an admin or closed at once.</summary>
[Collection(ClientsCollection.Name)]
public sealed class RequestClosureTests(PortalFixture portal)
{
    private Task<Client> ClientAsync(int id) => portal.WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.Id == id));

    private static Task<HttpResponseMessage> RequestAsync(Browser owner, string reason = "We are winding the business down", string password = PortalFixture.Password) =>
        owner.SubmitAsync("/account/close", new() { ["Input.Reason"] = reason, ["Input.Password"] = password }, "form[data-request-closure]");

    [Fact]
    public async Task A_request_approved_by_the_admin_closes_the_account_which_leaves_choose_account_while_its_users_keep_their_other_accounts()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Winding Down Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var (_, other) = await portal.CreateOwnerAsync("Still Trading Co");
        await portal.AssociateAsync(other.Id, member.Id, Permission.Tickets);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        Assert.NotNull((await ownerBrowser.GetAsync("/account/profile")).Document.QuerySelector("a[data-request-closure-link]"));

        var requested = await RequestAsync(ownerBrowser);

        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
        Assert.NotNull((await ownerBrowser.FollowAsync(requested)).Document.QuerySelector("[data-closure-waiting]"));
        var waiting = await ClientAsync(client.Id);
        Assert.Equal(ClientStatus.Active, waiting.Status);
        Assert.Equal("We are winding the business down", waiting.ClosureReason);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.UserId == owner.Id
            && e.Description == $"Closure of {client.DisplayName} (#{client.Id}) requested by {owner.Email}: We are winding the business down")));
        Assert.Equal(HttpStatusCode.OK, (await ownerBrowser.GetAsync("/dashboard")).Status);

        using var admin = await portal.CreateAdminBrowserAsync();
        var page = await admin.GetAsync($"/admin/clients/{client.Id}");
        Assert.Contains("We are winding the business down", page.Document.QuerySelector("[data-closure-request]")!.TextContent);
        var approved = await admin.SubmitAsync(page, [], "[data-closure-request] form:has([data-approve-closure])");

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var closed = await ClientAsync(client.Id);
        Assert.Equal(ClientStatus.Closed, closed.Status);
        Assert.NotNull(closed.ClosedAt);
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == owner.Email && m.Subject == $"{client.DisplayName} is closed")));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.AdminId != null
            && e.Description == $"Client {client.DisplayName} (#{client.Id}) closed: its owner's request approved")));

        // The owner's session loses the account on its next request; the member keeps the other one.
        var next = await ownerBrowser.Client.GetAsync("/dashboard");
        Assert.StartsWith("/user/accounts", next.Headers.Location!.PathAndQuery());
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var choose = await memberBrowser.GetAsync("/user/accounts");
        Assert.NotNull(choose.Document.QuerySelector($"[data-client-id='{client.Id}'] [data-closed]"));
        var refused = await memberBrowser.SubmitAsync(choose, [], $"[data-client-id='{client.Id}'] form");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(SwitchAccount.ClosedMessage, await refused.Content.ReadAsStringAsync());
        await memberBrowser.ChooseAccountAsync(other.Id);
        Assert.Equal(other.DisplayName, (await memberBrowser.GetAsync("/dashboard")).Document.QuerySelector("[data-active-account]")!.TextContent);
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == other.Id && cu.UserId == member.Id)));
    }

    [Fact]
    public async Task With_the_providers_setting_the_account_closes_at_once()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Quick Exit Co");
        await portal.SetSettingAsync(SystemSettings.CloseWithoutApprovalKey, "true");
        try
        {
            using var ownerBrowser = await portal.LoginAsync(owner.Email!);

            var response = await RequestAsync(ownerBrowser, "Moving to another provider");

            Assert.Equal("/user/accounts", response.Headers.Location!.PathAndQuery());
            Assert.Equal(ClientStatus.Closed, (await ClientAsync(client.Id)).Status);
            Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.Description == $"Client {client.DisplayName} (#{client.Id}) closed at its owner's request")));
            Assert.Equal(HttpStatusCode.Redirect, (await ownerBrowser.Client.GetAsync("/dashboard")).StatusCode);
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.CloseWithoutApprovalKey, "false");
        }
    }

    [Fact]
    public async Task A_wrong_password_or_no_reason_is_refused_and_nothing_changes_and_the_admin_may_reject_a_request()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Undecided Co");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);

        var wrong = await RequestAsync(ownerBrowser, password: "certainly not the password");
        Assert.Contains(RequestClosure.WrongPassword, (await Page.ReadAsync(wrong)).FieldErrors);
        var empty = await RequestAsync(ownerBrowser, reason: "   ");
        Assert.Contains("A reason is required.", (await Page.ReadAsync(empty)).FieldErrors);
        var unchanged = await ClientAsync(client.Id);
        Assert.Null(unchanged.ClosureRequestedAt);
        Assert.Equal(ClientStatus.Active, unchanged.Status);

        await RequestAsync(ownerBrowser);
        using var admin = await portal.CreateAdminBrowserAsync();
        var rejected = await admin.SubmitAsync($"/admin/clients/{client.Id}", [], "[data-closure-request] form:has([data-reject-closure])");

        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        var after = await ClientAsync(client.Id);
        Assert.Equal(ClientStatus.Active, after.Status);
        Assert.Null(after.ClosureRequestedAt);
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == owner.Email && m.Subject == $"Your request to close {client.DisplayName}")));
        Assert.NotNull((await ownerBrowser.GetAsync("/account/close")).Document.QuerySelector("form[data-request-closure]"));
    }

    [Fact]
    public async Task Only_the_owner_may_ask()
    {
        var (_, client) = await portal.CreateOwnerAsync("Guarded Closure Co");
        var deputy = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, deputy.Id, [.. Enum.GetValues<Permission>()]);
        using var browser = await portal.LoginAsync(deputy.Email!);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/account/close")).Status);
        Assert.Null((await browser.GetAsync("/account/profile")).Document.QuerySelector("a[data-request-closure-link]"));
        var token = await browser.AntiforgeryTokenAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync("/account/close",
            [new("__RequestVerificationToken", token), new("Input.Reason", "Sneaky"), new("Input.Password", PortalFixture.Password)])).StatusCode);
        Assert.Null((await ClientAsync(client.Id)).ClosureRequestedAt);
    }
}
