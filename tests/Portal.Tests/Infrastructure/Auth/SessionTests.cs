using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Clients;
using Portal.Features.Membership;

namespace Portal.Tests.Infrastructure.Auth;

[Collection(InfrastructureCollection.Name)]
public sealed class SessionTests(PortalFixture portal)
{
    [Fact]
    public async Task A_cookie_saved_before_logout_is_refused_after_it()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var cookie = browser.CookieHeader();

        var logout = await browser.SubmitAsync("/dashboard", [], "form[action='/logout']");
        Assert.Equal("/login", logout.Headers.Location!.PathAndQuery());

        var response = await portal.ReplayCookieAsync(cookie, "/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task Deleting_an_association_while_signed_in_refuses_the_next_request()
    {
        var member = await portal.CreateUserAsync();
        var (_, client) = await portal.CreateOwnerAsync("Shared Co");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard")).Status);

        await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId == member.Id).ExecuteDeleteAsync());
        var response = await browser.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/user/accounts", response.Headers.Location!.PathAndQuery());
        var choose = await browser.GetAsync(response.Headers.Location!.PathAndQuery());
        // The account is no longer offered (nothing to choose, no form naming it); the page only says it was lost.
        Assert.DoesNotContain(choose.Document.QuerySelectorAll("main form"), f => f.TextContent.Contains("Shared Co"));
        Assert.DoesNotContain("Shared Co", choose.Document.QuerySelector("[data-empty-state]")!.TextContent);
        Assert.Contains("You no longer have access to Shared Co (Test User)", choose.Document.QuerySelector("[data-lost-account]")!.TextContent);
    }

    [Fact]
    public async Task Closing_the_active_account_refuses_the_next_request()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Closing Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        await portal.WithDbAsync(async db =>
        {
            var entity = await db.Clients.SingleAsync(c => c.Id == client.Id);
            entity.ChangeStatus(ClientStatus.Closed, portal.Factory.Time.GetUtcNow());
            await db.SaveChangesAsync();
        });
        var response = await browser.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/user/accounts", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task Deleting_the_user_ends_their_session()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);

        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == member.Id).ExecuteDeleteAsync());
        var response = await browser.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task A_changed_security_stamp_ends_every_session_of_the_user()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var first = await portal.LoginAsync(owner.Email!);
        using var second = await portal.LoginAsync(owner.Email!);

        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString())));

        Assert.Equal(HttpStatusCode.Redirect, (await first.Client.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Client.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task An_idle_session_expires_after_two_hours_on_the_server()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var cookie = browser.CookieHeader();

        portal.Factory.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var response = await portal.ReplayCookieAsync(cookie, "/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task An_active_session_ends_at_its_absolute_lifetime()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        for (var i = 0; i < 12; i++)
        {
            portal.Factory.Time.Advance(TimeSpan.FromMinutes(59));
            Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/dashboard")).StatusCode);
        }

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task Over_https_the_client_cookie_is_host_prefixed_secure_http_only_and_same_site_lax()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/login", new() { ["Input.Email"] = owner.Email!, ["Input.Password"] = PortalFixture.Password });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-portal="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", cookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
