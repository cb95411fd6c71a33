using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Features.Clients;
using Portal.Features.Settings;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class InvitationTests(PortalFixture portal)
{
    private async Task<(User Owner, Client Client, Browser Browser)> SignedInOwnerAsync(string company = "Inviting Co")
    {
        var (owner, client) = await portal.CreateOwnerAsync(company);
        return (owner, client, await portal.LoginAsync(owner.Email!));
    }

    private static Dictionary<string, string> NewUser(string email) => new()
    {
        ["Input.FirstName"] = "Nora",
        ["Input.LastName"] = "Newcomer",
        ["Input.Email"] = email,
        ["Input.Password"] = PortalFixture.Password,
    };

    [Fact]
    public async Task The_invitation_page_says_who_invited_whom_to_which_account()
    {
        var (owner, _, browser) = await SignedInOwnerAsync("Welcome Co");
        var invitee = PortalFixture.UniqueEmail("invitee");
        await browser.InviteAsync(invitee);

        using var visitor = portal.NewBrowser();
        var page = await visitor.GetAsync(await portal.InvitationLinkAsync(invitee));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("You have been invited to Welcome Co (Test User)", page.Document.QuerySelector("[data-invited-to]")!.TextContent);
        Assert.Equal($"{owner.FirstName} {owner.LastName}", page.Document.QuerySelector("[data-sent-by]")!.TextContent);
        Assert.Equal("no-referrer", page.Response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(invitee, page.Document.QuerySelector("input[name='Input.Email']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_new_user_with_a_different_email_accepts_and_lands_in_the_account_with_the_invited_permissions()
    {
        var (_, client, owner) = await SignedInOwnerAsync("Agency Client");
        var invited = PortalFixture.UniqueEmail("invited");
        await owner.InviteAsync(invited, "tickets", "invoices");
        var link = await portal.InvitationLinkAsync(invited);
        var chosen = PortalFixture.UniqueEmail("chosen");

        using var colleague = portal.NewBrowser();
        var response = await colleague.SubmitAsync(link, NewUser(chosen), "form[data-form=register]");

        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        var dashboard = await colleague.FollowAsync(response);
        Assert.Contains("Agency Client", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        Assert.Equal(["View & Pay Invoices", "View & Open Support Tickets"], await colleague.PermissionsOnDashboardAsync());
        var user = await portal.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == chosen));
        Assert.False(user.EmailConfirmed);
        Assert.Equal(0, await portal.WithDbAsync(db => db.Clients.CountAsync(c => c.OwnerUserId == user.Id)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e =>
            e.UserId == user.Id && e.ClientId == client.Id && e.Description.Contains($"accepted the invitation sent to {invited}"))));
    }

    [Fact]
    public async Task Accepting_with_the_invited_email_marks_the_new_user_verified()
    {
        var (_, _, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("same");
        await owner.InviteAsync(invited);

        using var colleague = portal.NewBrowser();
        await colleague.SubmitAsync(await portal.InvitationLinkAsync(invited), NewUser(invited), "form[data-form=register]");

        Assert.True(await portal.WithDbAsync(db => db.Users.Where(u => u.Email == invited).Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task An_existing_user_accepts_by_logging_in_on_the_invitation_page()
    {
        var (_, client, owner) = await SignedInOwnerAsync("Login Accept Co");
        var existing = await portal.CreateUserAsync();
        var theirOwn = await portal.CreateClientAsync(existing.Id, "Their Own Co");
        await owner.InviteAsync(PortalFixture.UniqueEmail("other-address"), "tickets");

        using var colleague = portal.NewBrowser();
        var link = await portal.WithDbAsync(db => db.EmailMessages.OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync());
        var response = await colleague.SubmitAsync(InvitationSteps.LinkIn(link),
            new() { ["LoginInput.Email"] = existing.Email!, ["LoginInput.Password"] = PortalFixture.Password }, "form[data-form=login]");

        var dashboard = await colleague.FollowAsync(response);
        Assert.Contains("Login Accept Co", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        Assert.Equal(["View & Open Support Tickets"], await colleague.PermissionsOnDashboardAsync());
        var accounts = await colleague.GetAsync("/user/accounts");
        Assert.Equal([theirOwn.Id, client.Id], accounts.Document.QuerySelectorAll("[data-client-id]").Select(r => int.Parse(r.GetAttribute("data-client-id")!)));
    }

    [Fact]
    public async Task A_wrong_password_on_the_invitation_page_accepts_nothing()
    {
        var (_, client, owner) = await SignedInOwnerAsync();
        var existing = await portal.CreateUserAsync();
        var invited = PortalFixture.UniqueEmail("pw");
        await owner.InviteAsync(invited);

        using var colleague = portal.NewBrowser();
        var page = await Page.ReadAsync(await colleague.SubmitAsync(await portal.InvitationLinkAsync(invited),
            new() { ["LoginInput.Email"] = existing.Email!, ["LoginInput.Password"] = "not the password at all" }, "form[data-form=login]"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Login details incorrect. Please try again.", page.ErrorFor("LoginInput.Password"));
        Assert.False(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == existing.Id)));
    }

    [Fact]
    public async Task A_login_with_a_second_factor_is_sent_to_the_login_page_and_its_right_password_accepts_nothing()
    {
        var (_, client, owner) = await SignedInOwnerAsync("Second Factor Invite Co");
        var existing = await portal.CreateUserAsync();
        string key;
        using (var enrolling = await portal.LoginAsync(existing.Email!))
        {
            (key, _) = await Portal.Tests.Features.Identity.TwoFactorSteps.EnrolAsync(portal, enrolling);
        }

        var invited = PortalFixture.UniqueEmail("two-factor-invitee");
        await owner.InviteAsync(invited);
        var sessionsBefore = await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == existing.Id));

        using var colleague = portal.NewBrowser();
        var link = await portal.InvitationLinkAsync(invited);
        var response = await colleague.SubmitAsync(link,
            new() { ["LoginInput.Email"] = existing.Email!, ["LoginInput.Password"] = PortalFixture.Password }, "form[data-form=login]");

        var page = await Page.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(AcceptInvitation.SecondFactorFirst, page.ErrorFor("LoginInput.Email"));
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("portal=", StringComparison.Ordinal)));
        Assert.Equal(sessionsBefore, await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == existing.Id)));
        Assert.False(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == existing.Id)));
        Assert.Equal(InvitationStatus.Pending, await portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == invited).Select(i => i.Status).SingleAsync()));
        using (var dashboard = await colleague.Client.GetAsync("/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        }

        // Logged in on the login page with both factors, the same link accepts with one button.
        using var signedIn = await Portal.Tests.Features.Identity.TwoFactorSteps.PasswordStepAsync(portal, existing.Email!);
        Assert.Equal(HttpStatusCode.Redirect, (await Portal.Tests.Features.Identity.TwoFactorSteps.CodeStepAsync(signedIn, Portal.Tests.Features.Identity.TwoFactorSteps.CodeAt(portal, key))).StatusCode);
        var accepted = await signedIn.SubmitAsync(link, [], "form[data-form=accept]");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == existing.Id)));
    }

    [Fact]
    public async Task A_signed_in_user_accepts_with_one_button_and_the_account_becomes_active()
    {
        var (ownerUser, _, owner) = await SignedInOwnerAsync("Button Co");
        var (colleagueUser, _) = await portal.CreateOwnerAsync("Colleague Own Co");
        var invited = PortalFixture.UniqueEmail("button");
        await owner.InviteAsync(invited, "orders");
        using var colleague = await portal.LoginAsync(colleagueUser.Email!);

        var page = await colleague.GetAsync(await portal.InvitationLinkAsync(invited));
        Assert.Equal(["Accept"], page.Document.QuerySelectorAll("main form[data-form=accept] button").Select(b => b.TextContent));
        var response = await colleague.SubmitAsync(page, [], "form[data-form=accept]");

        var dashboard = await colleague.FollowAsync(response);
        Assert.Contains("Button Co", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        Assert.Equal(["Place New Orders/Upgrades/Cancellations"], await colleague.PermissionsOnDashboardAsync());

        // The owner who invited hears that the invitation was taken up, by whom and with what.
        var told = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == ownerUser.Email).OrderByDescending(m => m.Id).FirstAsync());
        Assert.StartsWith($"{colleagueUser.FirstName} {colleagueUser.LastName} ({colleagueUser.Email}) joined Button Co", told.Subject);
        Assert.Contains($"sent to {invited}", told.TextBody);
        Assert.Contains("Place New Orders/Upgrades/Cancellations", told.TextBody);
        Assert.Contains("/account/users", told.TextBody);
    }

    [Fact]
    public async Task Registering_on_the_invitation_page_with_an_email_that_has_a_user_says_log_in_instead()
    {
        var (_, client, owner) = await SignedInOwnerAsync();
        var existing = await portal.CreateUserAsync();
        var invited = PortalFixture.UniqueEmail("taken");
        await owner.InviteAsync(invited);

        using var visitor = portal.NewBrowser();
        var page = await Page.ReadAsync(await visitor.SubmitAsync(await portal.InvitationLinkAsync(invited), NewUser(existing.Email!), "form[data-form=register]"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Log in instead", page.ErrorFor("Input.Email"));
        Assert.Equal(1, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
    }

    [Fact]
    public async Task A_user_already_in_the_account_is_told_so_and_the_link_stays_unused()
    {
        var (ownerUser, client, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("again");
        await owner.InviteAsync(invited, "tickets");

        var page = await owner.GetAsync(await portal.InvitationLinkAsync(invited));
        var response = await owner.SubmitAsync(page, []);
        var after = await owner.FollowAsync(response);

        Assert.Contains("You already have access", after.Document.QuerySelector("[data-flash-warning]")!.TextContent);
        Assert.Equal(InvitationStatus.Pending, await portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == invited).Select(i => i.Status).SingleAsync()));
        Assert.Equal(1, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
    }

    [Fact]
    public async Task A_used_link_cannot_be_used_again()
    {
        var (_, client, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("reuse");
        await owner.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        using (var first = portal.NewBrowser())
        {
            await first.SubmitAsync(link, NewUser(PortalFixture.UniqueEmail("first")), "form[data-form=register]");
        }

        using var second = portal.NewBrowser();
        var page = await second.GetAsync(link);

        AssertNeutral(page);
        Assert.Equal(2, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
    }

    [Fact]
    public async Task On_day_eight_the_link_is_refused_on_GET_and_on_POST()
    {
        var (_, client, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("late");
        await owner.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        using var visitor = portal.NewBrowser();
        var openedInTime = await visitor.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, openedInTime.Status);

        portal.Factory.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        AssertNeutral(await visitor.GetAsync(link));
        var email = PortalFixture.UniqueEmail("late-user");
        var posted = await Page.ReadAsync(await visitor.SubmitAsync(openedInTime, NewUser(email), "form[data-form=register]"));
        AssertNeutral(posted);
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
    }

    [Fact]
    public async Task A_cancelled_link_stops_working()
    {
        var (_, _, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("cancel");
        await owner.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        var id = await portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == invited).Select(i => i.Id).SingleAsync());

        var confirm = await owner.GetAsync($"/account/users/invitations/{id}/cancel");
        Assert.Contains(invited, confirm.Text);
        var response = await owner.SubmitAsync(confirm, []);
        Assert.Equal("/account/users", response.Headers.Location!.PathAndQuery());

        using var visitor = portal.NewBrowser();
        AssertNeutral(await visitor.GetAsync(link));
        Assert.Equal(1, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.To == invited)));
    }

    [Fact]
    public async Task Resending_kills_the_old_link_and_the_new_one_works()
    {
        var (_, client, owner) = await SignedInOwnerAsync("Resend Co");
        var invited = PortalFixture.UniqueEmail("resend");
        await owner.InviteAsync(invited);
        var oldLink = await portal.InvitationLinkAsync(invited);

        var users = await owner.GetAsync("/account/users");
        var response = await owner.SubmitAsync(users, [], "[data-pending] form");
        Assert.Equal("/account/users", response.Headers.Location!.PathAndQuery());
        var newLink = await portal.InvitationLinkAsync(invited);

        Assert.NotEqual(oldLink, newLink);
        using var visitor = portal.NewBrowser();
        AssertNeutral(await visitor.GetAsync(oldLink));
        var accepted = await visitor.SubmitAsync(newLink, NewUser(PortalFixture.UniqueEmail("resent")), "form[data-form=register]");
        Assert.Equal("/dashboard", accepted.Headers.Location!.PathAndQuery());
        Assert.Equal(2, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("unknown")]
    [InlineData("overlong")]
    public async Task A_tampered_truncated_empty_or_unknown_token_gets_the_neutral_page(string kind)
    {
        var (_, _, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("tamper");
        await owner.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        var token = link["/invite/".Length..];
        var bad = kind switch
        {
            "tampered" => (token[0] == 'A' ? "B" : "A") + token[1..],
            "truncated" => token[..^4],
            "empty" => "",
            "unknown" => "x" + Guid.NewGuid().ToString("N"),
            _ => new string('a', 5000),
        };

        using var visitor = portal.NewBrowser();
        AssertNeutral(await visitor.GetAsync("/invite/" + bad));
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(link)).Status);
    }

    [Fact]
    public async Task Two_simultaneous_accepts_of_one_link_create_exactly_one_association()
    {
        var (_, client, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("race");
        await owner.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        var racers = new List<(Browser Browser, Page Page)>();
        for (var i = 0; i < 4; i++)
        {
            var (user, _) = await portal.CreateOwnerAsync($"Racer {i}");
            var browser = await portal.LoginAsync(user.Email!);
            racers.Add((browser, await browser.GetAsync(link)));
        }

        var responses = await Task.WhenAll(racers.Select(r => r.Browser.SubmitAsync(r.Page, [])));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.NotFound, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.Headers.Location?.PathAndQuery() == "/dashboard");
        Assert.Equal(2, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
        foreach (var (browser, _) in racers)
        {
            browser.Dispose();
        }
    }

    [Fact]
    public async Task With_only_the_invited_email_allowed_another_user_cannot_accept()
    {
        var (_, client, owner) = await SignedInOwnerAsync();
        var invited = PortalFixture.UniqueEmail("bound");
        await owner.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        await portal.SetSettingAsync(SystemSettings.OnlyInvitedEmailKey, "true");
        try
        {
            using var stranger = portal.NewBrowser();
            var strangerEmail = PortalFixture.UniqueEmail("stranger");
            Assert.Contains("only the address this invitation was sent to may accept it", (await stranger.GetAsync(link)).Text);
            var response = await stranger.SubmitAsync(link, NewUser(strangerEmail), "form[data-form=register]");
            var page = await stranger.FollowAsync(response);
            Assert.Contains("only that address may accept", page.ErrorFor("Input.Email"));
            Assert.Equal(1, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
            Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == strangerEmail)), "a refused address creates no login");

            using var rightful = portal.NewBrowser();
            var accepted = await rightful.SubmitAsync(link, NewUser(invited), "form[data-form=register]");
            Assert.Equal("/dashboard", accepted.Headers.Location!.PathAndQuery());
            Assert.Equal(2, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.OnlyInvitedEmailKey, "false");
        }
    }

    [Fact]
    public async Task The_validity_period_is_a_setting()
    {
        await portal.SetSettingAsync(SystemSettings.InvitationValidityKey, "2");
        try
        {
            var (_, _, owner) = await SignedInOwnerAsync();
            var invited = PortalFixture.UniqueEmail("short");
            await owner.InviteAsync(invited);
            var link = await portal.InvitationLinkAsync(invited);

            portal.Factory.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
            using var visitor = portal.NewBrowser();
            AssertNeutral(await visitor.GetAsync(link));
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.InvitationValidityKey, "7");
        }
    }

    private static void AssertNeutral(Page page)
    {
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("No pending invite matches this link", page.Document.QuerySelector("[data-no-invite]")!.TextContent);
        Assert.Null(page.Document.QuerySelector("[data-invited-to]"));
    }

    [Fact]
    public async Task A_signed_in_invitee_sees_the_permissions_and_who_they_are_and_declining_ends_the_link_logs_it_and_tells_the_inviter()
    {
        var (inviter, _, owner) = await SignedInOwnerAsync("Declined Co");
        var (colleagueUser, _) = await portal.CreateOwnerAsync("Declining Own Co");
        var invited = PortalFixture.UniqueEmail("decline");
        await owner.InviteAsync(invited, "tickets", "orders");
        var link = await portal.InvitationLinkAsync(invited);
        using var colleague = await portal.LoginAsync(colleagueUser.Email!);

        var page = await colleague.GetAsync(link);
        Assert.Equal(["Place New Orders/Upgrades/Cancellations", "View & Open Support Tickets"],
            page.Document.QuerySelectorAll("[data-invited-permissions] li").Select(li => li.TextContent).Order());
        Assert.Contains($"Not {colleagueUser.Email}?", page.Document.QuerySelector("form[data-form=logout]")!.TextContent);
        Assert.Equal("/logout", page.Document.QuerySelector("form[data-form=logout]")!.GetAttribute("action"));
        var response = await colleague.SubmitAsync(page, [], "form[data-form=decline]");

        Assert.StartsWith("/user/accounts", response.Headers.Location!.PathAndQuery());
        var invitation = await portal.WithDbAsync(db => db.Invitations.SingleAsync(i => i.Email == invited));
        Assert.Equal(InvitationStatus.Declined, invitation.Status);
        Assert.False(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == invitation.ClientId && cu.UserId == colleagueUser.Id)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e =>
            e.ClientId == invitation.ClientId && e.UserId == colleagueUser.Id && e.Description.Contains($"declined the invitation sent to {invited}"))));
        var told = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == inviter.Email).OrderByDescending(m => m.Id).FirstAsync());
        Assert.Equal("Your invitation to Declined Co (Test User) was declined", told.Subject);
        Assert.Contains(colleagueUser.Email!, told.TextBody);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync(link)).Status);
    }
}

[Collection(MembershipCollection.Name)]
public sealed class InvitationTokenLoggingTests(PortalFixture portal)
{
    [Fact]
    public async Task The_token_of_an_invitation_link_never_reaches_the_logs()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("logged");
        await ownerBrowser.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        var token = link["/invite/".Length..];

        using var visitor = portal.NewBrowser();
        var page = await visitor.GetAsync(link);
        await visitor.SubmitAsync(page, new() { ["LoginInput.Email"] = owner.Email!, ["LoginInput.Password"] = "wrong password here" }, "form[data-form=login]");
        var accepted = await visitor.SubmitAsync(await visitor.GetAsync(link), new() { ["Input.FirstName"] = "L", ["Input.LastName"] = "Og", ["Input.Email"] = PortalFixture.UniqueEmail("log"), ["Input.Password"] = PortalFixture.Password }, "form[data-form=register]");

        Assert.Equal("/dashboard", accepted.Headers.Location!.PathAndQuery());
        Assert.Contains(portal.Factory.Logs.Lines, l => l.Contains("AcceptInvitation"));
        Assert.DoesNotContain(portal.Factory.Logs.Lines, l => l.Contains(token));
    }
}
