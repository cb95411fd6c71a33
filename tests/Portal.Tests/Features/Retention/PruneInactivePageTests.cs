using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Clients;
using Portal.Features.Settings;
using Portal.Features.Retention;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Features.Retention;

[Collection(RetentionCollection.Name)]
public sealed class PruneInactivePageTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private TimeSpan PastOneMonth => slice.Now.AddMonths(1) - slice.Now + TimeSpan.FromDays(1);

    private Task<int> LatestAdminIdAsync() => portal.WithDbAsync(db => db.Admins.OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync());

    [Fact]
    public async Task The_automation_settings_are_saved_and_each_change_is_logged_with_its_old_and_new_value()
    {
        await slice.SetRetentionAsync(null, deleteUsers: false);
        using var admin = await portal.CreateAdminBrowserAsync();
        var adminId = await LatestAdminIdAsync();
        var page = await admin.GetAsync("/admin/settings");
        Assert.Equal("Never", ((AngleSharp.Html.Dom.IHtmlSelectElement)page.Document.QuerySelector("#Input_PruneInactiveAfterMonths")!).SelectedOptions[0].TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-automation] a[href='/admin/prune']"));

        try
        {
            var saved = await admin.FollowAsync(await admin.SubmitAsync(page, new() { ["Input.PruneInactiveAfterMonths"] = "18", ["Input.PruneDeletesUsers"] = "true" }));

            Assert.Equal("after 18 months", ((AngleSharp.Html.Dom.IHtmlSelectElement)saved.Document.QuerySelector("#Input_PruneInactiveAfterMonths")!).SelectedOptions[0].TextContent);
            Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)saved.Document.QuerySelector("#Input_PruneDeletesUsers")!).IsChecked);
            var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.AdminId == adminId).Select(e => e.Description).ToListAsync());
            Assert.Contains("Setting Automatically Delete Inactive Clients changed from Never to after 18 months", log);
            Assert.Contains("Setting Also delete associated users who have no other client account changed from Off to On", log);
            var stored = await portal.WithDbAsync(db => new SystemSettings(db).GetAsync());
            Assert.Equal(18, stored.PruneInactiveAfterMonths);
            Assert.True(stored.PruneDeletesUsers);

            await admin.SubmitAsync("/admin/settings", new() { ["Input.PruneInactiveAfterMonths"] = "", ["Input.PruneDeletesUsers"] = null! });
            log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.AdminId == adminId).Select(e => e.Description).ToListAsync());
            Assert.Contains("Setting Automatically Delete Inactive Clients changed from after 18 months to Never", log);
            Assert.Null((await portal.WithDbAsync(db => new SystemSettings(db).GetAsync())).PruneInactiveAfterMonths);
        }
        finally
        {
            await slice.SetRetentionAsync(null, deleteUsers: false);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("121")]
    public async Task A_period_outside_1_to_120_months_is_refused(string months)
    {
        await slice.SetRetentionAsync(null, deleteUsers: false);
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await Page.ReadAsync(await admin.SubmitAsync("/admin/settings", new() { ["Input.PruneInactiveAfterMonths"] = months }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Choose Never or between 1 and 120 months.", page.FieldErrors);
        Assert.Null((await portal.WithDbAsync(db => new SystemSettings(db).GetAsync())).PruneInactiveAfterMonths);
    }

    [Fact]
    public async Task The_preview_lists_each_closed_client_it_keeps_with_why_and_what_it_owes()
    {
        await slice.SetRetentionAsync(null, deleteUsers: false);
        var (_, debtor) = await slice.ClientAsync(portal, "Preview Page Debtor Co", ClientStatus.Closed);
        var order = await slice.OrderNowAsync(debtor);
        await slice.PayAsync(order, 2.5m, slice.Now);
        await slice.CancelOrderAsync(order);
        slice.Time.Advance(PastOneMonth);
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync("/admin/prune?months=1");

        Assert.Null(page.Document.QuerySelector($"[data-prune-clients] tr[data-client-id='{debtor.Id}']"));
        var reasons = page.Document.QuerySelector($"[data-prune-kept] tr[data-client-id='{debtor.Id}'] [data-kept-reasons]")!.TextContent;
        Assert.Contains("it owes money", reasons);
        Assert.Contains("7.50 USD", reasons);
    }

    [Fact]
    public async Task Before_the_setting_is_on_the_preview_shows_what_a_period_would_delete_and_offers_no_run()
    {
        await slice.SetRetentionAsync(null, deleteUsers: false);
        var (owner, dormant) = await slice.ClientAsync(portal, "Preview Page Dormant Co", ClientStatus.Closed);
        var (_, active) = await slice.ClientAsync(portal, "Preview Page Active Co", ClientStatus.Active);
        slice.Time.Advance(PastOneMonth);
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync("/admin/prune?months=1");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var row = page.Document.QuerySelector($"[data-prune-clients] tr[data-client-id='{dormant.Id}']");
        Assert.NotNull(row);
        Assert.Contains(dormant.DisplayName, row.TextContent);
        Assert.Contains("Closed", row.TextContent);
        Assert.Null(page.Document.QuerySelector($"[data-prune-clients] tr[data-client-id='{active.Id}']"));
        Assert.NotNull(page.Document.QuerySelector($"[data-prune-list='users'] tr[data-user-id='{owner.Id}']"));
        var expected = (await slice.PreviewAsync(1)).Preview;
        Assert.Equal(expected.ClientCount == 1 ? "1 client" : $"{expected.ClientCount} clients", page.Document.QuerySelector("[data-client-count]")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-run-now-off]"));
        Assert.Null(page.Document.QuerySelector("form[data-run-now]"));
    }

    [Fact]
    public async Task Run_now_asks_for_confirmation_with_the_counts_then_starts_the_job_and_logs_who_asked()
    {
        await slice.SetRetentionAsync(1, deleteUsers: true);
        try
        {
            // Two, so that both counts read in the plural the assertions spell out, whatever else the database holds.
            await slice.ClientAsync(portal, "Run Now Dormant Co");
            await slice.ClientAsync(portal, "Run Now Dormant Co 2");
            slice.Time.Advance(PastOneMonth);
            using var admin = await portal.CreateAdminBrowserAsync();
            var adminId = await LatestAdminIdAsync();
            var expected = (await slice.PreviewAsync()).Preview;
            var page = await admin.GetAsync("/admin/prune");
            var counts = page.Document.QuerySelector("[data-run-now-counts]")!.TextContent;
            Assert.Contains($"This deletes {expected.ClientCount} clients", counts);
            Assert.Contains($"{expected.UserCount + expected.UsersWithoutAccountCount} users", counts);

            var refused = await Page.ReadAsync(await admin.SubmitAsync(page, new()));
            Assert.Equal(HttpStatusCode.OK, refused.Status);
            Assert.Contains("Tick the box to confirm that these clients and users are deleted for good.", refused.FieldErrors);
            Assert.Equal(0, EnqueuedRuns());

            var response = await admin.SubmitAsync(page, new() { ["Input.Confirm"] = "true" });

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var after = await admin.FollowAsync(response);
            Assert.Contains("The data-retention run has started", after.Document.QuerySelector("[data-flash]")!.TextContent);
            Assert.Equal(1, EnqueuedRuns());
            Assert.Contains("Started the data-retention run now", await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.AdminId == adminId).Select(e => e.Description).ToListAsync()));

            var run = await slice.RunAsync();
            var listed = await admin.GetAsync("/admin/prune");
            var summary = listed.Document.QuerySelector($"[data-prune-runs] tr[data-run-id='{run!.Id}']")!;
            Assert.Equal(run.ClientsDeleted.ToString(), summary.QuerySelector("[data-clients-deleted]")!.TextContent.Trim());
            Assert.Equal(run.UsersDeleted.ToString(), summary.QuerySelector("[data-users-deleted]")!.TextContent.Trim());
            Assert.Equal(expected.ClientCount, run.ClientsDeleted);
        }
        finally
        {
            DeleteEnqueuedRuns();
            await slice.SetRetentionAsync(null, deleteUsers: false);
        }
    }

    [Fact]
    public async Task The_job_is_registered_to_run_daily()
    {
        using var connection = portal.Jobs.GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == PruneInactive.RecurringJobId);

        Assert.Equal(Cron.Daily(4), job.Cron);
        Assert.Equal(typeof(PruneInactive.Job), job.Job.Type);
    }

    private IEnumerable<(string Id, Hangfire.Common.Job Job)> Enqueued() =>
        portal.Jobs.GetMonitoringApi().EnqueuedJobs("default", 0, 1000)
            .Where(j => j.Value.InEnqueuedState && j.Value.Job?.Type == typeof(PruneInactive.Job))
            .Select(j => (j.Key, j.Value.Job));

    private int EnqueuedRuns() => Enqueued().Count();

    private void DeleteEnqueuedRuns()
    {
        foreach (var (id, _) in Enqueued().ToList())
        {
            portal.Factory.Services.GetRequiredService<IBackgroundJobClient>().Delete(id);
        }
    }

    [Fact]
    public async Task The_preview_period_is_typed_as_a_number_of_months_and_one_beyond_the_range_is_previewed_at_the_nearest_end()
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync("/admin/prune?months=7");
        var field = page.Document.QuerySelector("[data-preview-period] input#months")!;
        Assert.Equal("number", field.GetAttribute("type"));
        Assert.Equal(("1", "120", "7"), (field.GetAttribute("min"), field.GetAttribute("max"), field.GetAttribute("value")));
        Assert.Equal("Preview clients inactive for", page.Document.QuerySelector("label[for=months]")!.TextContent.Trim());
        Assert.Empty(page.Document.QuerySelectorAll("[data-preview-period] option"));

        var beyond = await admin.GetAsync("/admin/prune?months=500");
        Assert.Equal(HttpStatusCode.OK, beyond.Status);
        Assert.Equal("120", beyond.Document.QuerySelector("input#months")!.GetAttribute("value"));
    }
}
