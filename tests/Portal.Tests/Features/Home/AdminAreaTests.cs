using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Setup;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Home;

[Collection(HomeCollection.Name)]
public sealed class AdminAreaTests(PortalFixture portal)
{
    public static TheoryData<string> AdminPages => ["/admin", "/admin/clients", "/admin/clients/1", "/admin/activity", "/admin/jobs"];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Anonymous_visitors_are_refused_every_admin_page(string url)
    {
        using var browser = portal.NewBrowser();

        var response = await browser.Client.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{url}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery());
        }

        Assert.DoesNotContain("Portal jobs", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Signed_in_client_users_are_refused_every_admin_page(string url)
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var response = await browser.Client.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{url}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery());
        }

        Assert.DoesNotContain("Portal jobs", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_sees_the_dashboard_and_the_jobs_dashboard()
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).Status);
        var jobs = await admin.Client.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Contains("Portal jobs", await jobs.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_is_not_a_client_user()
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task The_admin_cookie_is_separate_secure_and_scoped_to_the_admin_area()
    {
        var email = PortalFixture.UniqueEmail("cookie-admin");
        await portal.SendAsync(new CreateAdmin.Command { Email = email, FirstName = "Cora", Password = PortalFixture.Password });
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/admin/login", new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Secure-portal-admin="));
        Assert.Contains("path=/admin", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-portal="));
    }

    [Fact]
    public async Task Admin_logout_ends_the_session_on_the_server()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var cookie = admin.CookieHeader("/admin");

        await admin.SubmitAsync("/admin", [], "form[action='/admin/logout']");
        var response = await portal.ReplayCookieAsync(cookie, "/admin/clients");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task The_clients_list_searches_name_company_and_email_and_pages()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 30; i++)
        {
            var user = await portal.CreateUserAsync(firstName: $"Searchable{marker}");
            await portal.CreateClientAsync(user.Id, $"Co {marker} {i:00}");
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var first = await admin.GetAsync($"/admin/clients?q={marker}");
        var second = await admin.GetAsync(first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var none = await admin.GetAsync($"/admin/clients?q=zz{marker}zz");

        Assert.Contains("30 clients", first.Text);
        Assert.Equal(25, first.Document.QuerySelectorAll("[data-clients] tbody tr").Length);
        Assert.Equal(5, second.Document.QuerySelectorAll("[data-clients] tbody tr").Length);
        Assert.NotNull(first.Document.QuerySelector($"a[rel=next][href*='q={marker}']"));
        Assert.NotNull(none.Document.QuerySelector("[data-empty-state]"));
    }

    [Fact]
    public async Task The_client_profile_shows_the_owner_and_each_users_last_login_to_that_account()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Profiled Ltd");
        var member = await portal.CreateUserAsync(firstName: "Mia");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using (await portal.LoginAsync(owner.Email!))
        {
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var page = await admin.GetAsync($"/admin/clients/{client.Id}");

        var ownerRow = page.Document.QuerySelector($"[data-user-id='{owner.Id}']")!;
        var memberRow = page.Document.QuerySelector($"[data-user-id='{member.Id}']")!;
        Assert.NotNull(ownerRow.QuerySelector("[data-owner]"));
        Assert.Null(memberRow.QuerySelector("[data-owner]"));
        Assert.NotEqual("Never", ownerRow.QuerySelector("[data-last-login]")!.TextContent);
        Assert.Equal("Never", memberRow.QuerySelector("[data-last-login]")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/clients/999999")).Status);
    }

    [Fact]
    public async Task The_setup_link_creates_the_first_admin_once()
    {
        // The shared database already has admins from other tests, so the link must be refused there.
        await portal.CreateAdminBrowserAsync();
        using var browser = portal.NewBrowser();

        var response = await browser.Client.GetAsync("/admin/setup?token=anything");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Create_admin_refuses_a_weak_password_and_a_duplicate_email()
    {
        var email = PortalFixture.UniqueEmail("admin");
        await portal.SendAsync(new CreateAdmin.Command { Email = email, FirstName = "A", Password = PortalFixture.Password });

        var duplicate = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            portal.SendAsync(new CreateAdmin.Command { Email = email.ToUpperInvariant(), FirstName = "B", Password = PortalFixture.Password }));
        var weak = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            portal.SendAsync(new CreateAdmin.Command { Email = PortalFixture.UniqueEmail("admin"), FirstName = "C", Password = "password1234" }));

        Assert.Contains(duplicate.Errors, e => e.ErrorMessage == "An admin already exists with that email address.");
        Assert.Contains(weak.Errors, e => e.PropertyName == "Password");
    }
}
