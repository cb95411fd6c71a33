using System.Net;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Settings;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Infrastructure.Auth;

/// <summary>
/// The per-request re-check costs one database round trip: the session, the user, the active account's membership and
/// the settings' version stamp come back in one query, and the settings themselves are read again only when their stamp
/// changed, whichever instance changed them.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SessionRoundTripTests(PortalFixture portal)
{
    [Fact]
    public async Task A_signed_in_page_with_no_query_of_its_own_costs_one_round_trip()
    {
        // An owner whose address is not yet confirmed: the navigation and the verification banner both need the settings.
        var (owner, _) = await portal.CreateOwnerAsync("Round Trip Ltd");
        using var browser = await portal.LoginAsync(owner.Email!);
        await portal.GetCountingAsync(browser, "/no-such-page");

        var (page, commands) = await portal.GetCountingAsync(browser, "/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("Round Trip Ltd", page.Text);
        Assert.NotNull(page.Document.QuerySelector("a[href='/account/users']"));
        var command = Assert.Single(commands);
        Assert.Contains("\"Sessions\"", command);
        Assert.Contains("\"ClientUsers\"", command);
        Assert.Contains("\"Settings\"", command);
    }

    [Fact]
    public async Task An_admin_page_that_shows_the_settings_costs_one_round_trip()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        await portal.GetCountingAsync(admin, "/admin/settings");

        var (page, commands) = await portal.GetCountingAsync(admin, "/admin/settings");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var command = Assert.Single(commands);
        Assert.Contains("\"Sessions\"", command);
    }

    [Fact]
    public async Task Pages_with_data_check_the_session_once_and_never_read_the_settings_again()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        foreach (var url in new[] { "/dashboard", "/account/users", "/account/activity", "/user/accounts", "/invoices", "/tickets" })
        {
            await portal.GetCountingAsync(browser, url);
            var (page, commands) = await portal.GetCountingAsync(browser, url);

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Single(commands, c => c.Contains("\"Sessions\"", StringComparison.Ordinal));
            Assert.Contains("\"Sessions\"", commands[0]);
            Assert.DoesNotContain(commands.Skip(1), c => c.Contains("\"Settings\"", StringComparison.Ordinal));
        }
    }

    [Portal.Tests.Features.Activity.SqliteFact("Statements kept compiled on connections of their own are SQLite's; this run is on PostgreSQL.")]
    public async Task On_sqlite_the_pages_reads_run_on_statements_compiled_once_per_kept_connection()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Compiled Once Ltd");
        using var browser = await portal.LoginAsync(owner.Email!);
        var reads = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SqlitePreparedReads>(portal.Factory.Services);
        var urls = new[] { "/dashboard", "/account/users", "/invoices", "/tickets" };
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url)).Status);
        }

        const int rounds = 20;
        var (served, compiled) = (reads.Served, reads.Compiled);
        for (var i = 0; i < rounds; i++)
        {
            foreach (var url in urls)
            {
                var page = await browser.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, page.Status);
                Assert.Contains("Compiled Once Ltd", page.Text);
            }
        }

        // Each kept connection compiles a statement the first time it runs it, and never again: at most once per connection.
        var readsPerRound = (reads.Served - served) / rounds;
        Assert.True(readsPerRound >= urls.Length, $"{reads.Served - served} reads served on kept connections over {rounds} rounds");
        Assert.InRange(reads.Compiled - compiled, 0, reads.Connections * readsPerRound);
        Assert.InRange(reads.Connections, 1, SqlitePreparedReads.MaxConnections);
    }

    [Fact]
    public async Task A_settings_change_written_by_another_instance_applies_on_the_next_request()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/users")).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/users")).Status);

        try
        {
            // Another instance shares only the database: it writes the setting and a new stamp, and tells nobody.
            await portal.WithDbAsync(async db =>
            {
                await new SystemSettings(db).SetAsync(SystemSettings.UserManagementDisabledKey, "true");
                await db.SaveChangesAsync();
            });

            Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync("/account/users")).StatusCode);
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "false");
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/account/users")).StatusCode);
    }
}
