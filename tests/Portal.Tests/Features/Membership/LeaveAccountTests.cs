using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class LeaveAccountTests(PortalFixture portal)
{
    [Fact]
    public async Task A_member_leaves_from_the_hello_menu_after_confirming_and_the_owner_is_mailed_and_it_is_logged()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Left Behind Co");
        var member = await portal.CreateUserAsync(firstName: "Lena");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);

        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Equal("/account/leave", dashboard.Document.QuerySelector("[data-leave-account]")!.GetAttribute("href"));
        var confirm = await browser.GetAsync("/account/leave");
        Assert.Contains("Left Behind Co", confirm.Text);

        // Unticked: refused with the reason, nothing changes.
        var unticked = await browser.SubmitAsync(confirm, []);
        Assert.Equal(HttpStatusCode.OK, unticked.StatusCode);
        Assert.Contains("Tick the box to confirm", await unticked.Content.ReadAsStringAsync());
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id)));

        var left = await browser.SubmitAsync(confirm, new() { ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, left.StatusCode);
        Assert.StartsWith("/user/accounts", left.Headers.Location!.PathAndQuery());
        Assert.False(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == member.Id && e.ClientId == client.Id
            && e.Description == $"User {member.Email} access removed from {client.DisplayName} (#{client.Id}): left the account")));
        var mail = await portal.WithDbAsync(db => db.EmailMessages.SingleAsync(m => m.ClientId == client.Id && m.Kind == "MemberLeft"));
        Assert.Equal(owner.Email, mail.To);
        Assert.Contains(member.Email!, mail.TextBody);
        Assert.True(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == member.Id)), "the login itself stays");
    }

    [Fact]
    public async Task Access_is_gone_on_the_next_request_in_every_session_and_the_last_account_leads_to_choose_account()
    {
        var (_, client) = await portal.CreateOwnerAsync("Only Account Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        using var elsewhere = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/tickets")).Status);

        var left = await browser.SubmitAsync("/account/leave", new() { ["Input.Confirm"] = "true" });

        Assert.Equal("/user/accounts", left.Headers.Location!.PathAndQuery());
        var choose = await browser.GetAsync("/user/accounts");
        Assert.NotNull(choose.Document.QuerySelector("[data-empty-state]"));
        Assert.Null(choose.Document.QuerySelector("[data-active-account]"));
        foreach (var session in new[] { browser, elsewhere })
        {
            var next = await session.Client.GetAsync("/tickets");
            Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
            Assert.StartsWith("/user/accounts", next.Headers.Location!.PathAndQuery());
        }
    }

    [Fact]
    public async Task Leaving_moves_the_session_to_the_users_other_open_account()
    {
        var (_, left) = await portal.CreateOwnerAsync("Departed Co");
        var member = await portal.CreateUserAsync();
        var own = await portal.CreateClientAsync(member.Id, "Still Mine Co");
        var closed = await portal.CreateClientAsync(member.Id, "Closed Mine Co", Portal.Features.Clients.ClientStatus.Closed);
        await portal.AssociateAsync(left.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        await browser.ChooseAccountAsync(left.Id);

        var response = await browser.SubmitAsync("/account/leave", new() { ["Input.Confirm"] = "true" });

        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Equal(own.DisplayName, dashboard.Document.QuerySelector("[data-active-account]")!.TextContent);
        Assert.Contains($"You left {left.DisplayName}. You are now working in {own.DisplayName}.", dashboard.Text);
        _ = closed;
    }

    [Fact]
    public async Task The_owner_cannot_leave_and_is_told_to_transfer_ownership_first()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Anchored Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync("/account/leave");
        Assert.Contains("Transfer ownership to another user first", page.Document.QuerySelector("[data-owner-cannot-leave]")!.TextContent);
        Assert.Empty(page.Document.QuerySelectorAll("main form"));

        var token = await browser.AntiforgeryTokenAsync("/dashboard");
        var crafted = await browser.PostAsync("/account/leave", [new("__RequestVerificationToken", token), new("Input.Confirm", "true")]);

        Assert.Equal(HttpStatusCode.OK, crafted.StatusCode);
        Assert.Contains("Transfer ownership to another user first", await crafted.Content.ReadAsStringAsync());
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == owner.Id)));
        Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.ClientId == client.Id && m.Kind == "MemberLeft")));
    }
}
