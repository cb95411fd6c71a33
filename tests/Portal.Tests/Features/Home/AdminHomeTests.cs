using System.Net;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Clients;
using Portal.Features.Shared;

namespace Portal.Tests.Features.Home;

[Collection(HomeCollection.Name)]
public sealed class AdminHomeTests(PortalFixture portal)
{
    [Fact]
    public async Task The_admin_home_lists_what_needs_a_look_each_leading_to_where_it_is_dealt_with()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (owner, client) = await portal.CreateOwnerAsync($"Newcomer {marker}");
        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            await browser.SubmitAsync("/account/users/invite", new() { ["Input.Email"] = $"pending-{marker}@example.test" });
        }

        await portal.WithDbAsync(async db =>
        {
            var message = new EmailMessage($"bounce-{marker}@example.test", $"Undeliverable {marker}", "text", "<p>html</p>", portal.Factory.Time.GetUtcNow());
            message.MarkFailed("550 mailbox unavailable");
            db.EmailMessages.Add(message);
            await db.SaveChangesAsync();
        });
        using var admin = await portal.CreateAdminBrowserAsync();

        var home = await admin.GetAsync("/admin");

        var invitations = home.Document.QuerySelector("[data-home=invitations]")!;
        Assert.Contains($"pending-{marker}@example.test", invitations.TextContent);
        Assert.NotNull(invitations.QuerySelector($"a[href='/admin/clients/{client.Id}/users']"));
        Assert.Contains("expires", invitations.TextContent);
        var clients = home.Document.QuerySelector("[data-home=clients]")!;
        Assert.NotNull(clients.QuerySelector($"a[href='/admin/clients/{client.Id}']"));
        Assert.NotNull(clients.QuerySelector("a[href='/admin/clients?sort=created&dir=desc']"));
        var emails = home.Document.QuerySelector("[data-home=emails]")!;
        Assert.Contains($"Undeliverable {marker}", emails.TextContent);
        Assert.Contains("550 mailbox unavailable", emails.TextContent);
        Assert.NotNull(home.Document.QuerySelector("[data-home=jobs] a[href='/admin/jobs/jobs/failed']"));
        Assert.DoesNotContain("(s)", home.Text);
    }

    [Fact]
    public async Task Only_the_jobs_dashboard_may_use_inline_styles_and_scripts_stay_the_sites_own_there_too()
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        var jobs = await admin.Client.GetAsync("/admin/jobs");
        var home = await admin.Client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        var jobsPolicy = jobs.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("style-src 'self' 'unsafe-inline'", jobsPolicy);
        Assert.Contains("script-src 'self';", jobsPolicy);
        Assert.DoesNotContain("unsafe-inline", home.Headers.GetValues("Content-Security-Policy").Single());
        Assert.NotNull((await admin.GetAsync("/admin")).Document.QuerySelector("nav a[href='/admin/jobs']"));
    }

    [Theory]
    [InlineData("company", "asc")]
    [InlineData("company", "desc")]
    [InlineData("name", "asc")]
    [InlineData("users", "desc")]
    [InlineData("created", "desc")]
    [InlineData("status", "asc")]
    public async Task A_sorted_clients_list_pages_forward_and_back_without_repeating_or_losing_a_client(string sort, string dir)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var created = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            // Three companies and three last names: most rows tie on the sort column and are told apart by id.
            var user = await portal.CreateUserAsync(firstName: $"Paged{marker}", lastName: $"Surname{i % 3}");
            created.Add((await portal.CreateClientAsync(user.Id, $"Paged {marker} {i % 3}", i % 4 == 0 ? ClientStatus.Inactive : ClientStatus.Active)).Id);
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var first = await admin.GetAsync($"/admin/clients?q={marker}&sort={sort}&dir={dir}");
        var next = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await admin.GetAsync(next);
        var back = await admin.GetAsync(second.Document.QuerySelector("a[rel=prev]")!.GetAttribute("href")!);

        static List<int> Ids(Page page) => page.Document.QuerySelectorAll("[data-clients] tbody tr td:first-child").Select(td => int.Parse(td.TextContent)).ToList();
        Assert.Contains($"sort={sort}", next);
        Assert.Contains($"dir={dir}", next);
        Assert.Equal(25, Ids(first).Count);
        Assert.Equal(created.Order(), Ids(first).Concat(Ids(second)).Order());
        Assert.Equal(Ids(first), Ids(back));
        Assert.Null(second.Document.QuerySelector("a[rel=next]"));
        Assert.Equal(dir == "asc" ? "ascending" : "descending", first.Document.QuerySelector($"th[aria-sort]:has(a[data-sort={sort}])")!.GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task The_clients_list_sorted_by_company_reads_in_company_order_across_pages()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        for (var i = 29; i >= 0; i--)
        {
            var user = await portal.CreateUserAsync();
            await portal.CreateClientAsync(user.Id, $"Ordered {marker} {i:00}");
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var first = await admin.GetAsync($"/admin/clients?q={marker}&sort=company&dir=asc");
        var second = await admin.GetAsync(first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var unreadable = await admin.GetAsync($"/admin/clients?q={marker}&sort=company&dir=asc&older=not-a-key");

        static List<string> Companies(Page page) => page.Document.QuerySelectorAll("[data-clients] tbody tr td:nth-child(3)").Select(td => td.TextContent).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"Ordered {marker} {i:00}"), Companies(first).Concat(Companies(second)));
        Assert.Equal(Companies(first), Companies(unreadable));
    }

    [Fact]
    public async Task The_clients_list_sorts_by_a_column_both_ways_and_shows_status_badges_as_the_client_page_does()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (ownerA, _) = await portal.CreateOwnerAsync($"Sorted {marker} Alpha");
        var closedOwner = await portal.CreateUserAsync();
        var zulu = await portal.CreateClientAsync(closedOwner.Id, $"Sorted {marker} Zulu", ClientStatus.Inactive);
        using var admin = await portal.CreateAdminBrowserAsync();

        var ascending = await admin.GetAsync($"/admin/clients?q={marker}&sort=company&dir=asc");
        var descending = await admin.GetAsync($"/admin/clients?q={marker}&sort=company&dir=desc");

        static List<string> Companies(Page page) => page.Document.QuerySelectorAll("[data-clients] tbody tr td:nth-child(3)").Select(td => td.TextContent).ToList();
        Assert.Equal([$"Sorted {marker} Alpha", $"Sorted {marker} Zulu"], Companies(ascending));
        Assert.Equal([$"Sorted {marker} Zulu", $"Sorted {marker} Alpha"], Companies(descending));
        Assert.Equal("ascending", ascending.Document.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));
        Assert.Contains("2 clients", ascending.Text);
        var listBadge = descending.Document.QuerySelector("[data-clients] tbody tr [data-status]")!;
        var pageBadge = (await admin.GetAsync($"/admin/clients/{zulu.Id}")).Document.QuerySelector("h1 [data-status]")!;
        Assert.Equal("Inactive", listBadge.TextContent);
        Assert.Contains("text-bg-warning", listBadge.ClassList);
        Assert.Contains("text-bg-warning", pageBadge.ClassList);
    }
}
