using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Settings;
using Portal.Features.Setup;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Setup;

/// <summary>
/// What only an empty database allows: the demo data, and the one-time admin setup link. Each test starts an app of its
/// own on a new database. Their write units meet a database fault on their first try, as every unit of the suite does:
/// the demo is written once, whole, and the setup link makes one admin.
/// </summary>
[Collection(SetupCollection.Name)]
public sealed class EmptyDatabaseTests
{
    [Fact]
    public async Task Seed_demo_writes_the_whole_story_once_when_its_first_try_meets_a_busy_database()
    {
        var fresh = new PortalFixture();
        await fresh.InitializeAsync();
        try
        {
            var before = DatabaseFaults.Faulted.GetValueOrDefault(WriteUnitNames.Of(typeof(SeedDemo.Command)));
            var output = new StringWriter();
            var error = new StringWriter();

            var exitCode = await new SeedDemoVerb().RunAsync(fresh.Factory.Services, ["seed-demo"], new StringReader(""), output, error);

            Assert.True(exitCode == 0, error.ToString());
            Assert.True(DatabaseFaults.Faulted.GetValueOrDefault(WriteUnitNames.Of(typeof(SeedDemo.Command))) > before);
            Assert.Equal(
                (3, 4, 1),
                await fresh.WithDbAsync(async db => (await db.Users.CountAsync(), await db.Clients.CountAsync(), await db.Admins.CountAsync())));
            Assert.Equal(1, await fresh.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.Description == "Demo data created")));
            using var dana = await fresh.LoginAsync("dana@designer.example", SeedDemo.Password);

            // The demo shows a provider as it runs: its details and bank instructions on the invoice, mail already sent.
            using var ben = await fresh.LoginAsync("ben@bakery.example", SeedDemo.Password);
            var invoiceId = await fresh.WithDbAsync(db => db.Invoices.Where(i => db.Clients.Any(c => c.Id == i.ClientId && c.CompanyName == "Bakery Ltd")).Select(i => i.Id).SingleAsync());
            var invoice = await ben.GetAsync($"/invoices/{invoiceId}");
            Assert.Contains("Harbour Hosting Ltd", invoice.Text);
            Assert.Contains("VAT GB 123 4567 89", invoice.Text);
            Assert.Contains("sort code 12-34-56", invoice.Text);
            var history = await ben.GetAsync("/emails");
            Assert.True(history.Document.QuerySelectorAll("main table tbody tr").Length >= 3, history.Text);
            Assert.Equal(0, await fresh.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.SentAt == null)));
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_setups_from_one_link_at_once_make_one_admin_and_the_link_then_works_no_more()
    {
        var fresh = new PortalFixture();
        await fresh.InitializeAsync();
        try
        {
            var token = Tokens.New();
            await fresh.WithDbAsync(async db =>
            {
                await new SystemSettings(db).SetAsync(AdminSetupLink.TokenHashKey, Tokens.Hash(token));
                await db.SaveChangesAsync();
            });
            var visitors = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
            {
                var browser = fresh.NewBrowser();
                return (Browser: browser, Page: await browser.GetAsync($"/admin/setup?token={token}"), Email: PortalFixture.UniqueEmail($"first-admin{i}-"));
            }));
            Assert.All(visitors, v => Assert.Equal(HttpStatusCode.OK, v.Page.Status));

            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var posts = visitors.Select(v => Task.Run(async () =>
            {
                await go.Task;
                return await v.Browser.SubmitAsync(v.Page, new()
                {
                    ["Input.FirstName"] = "First", ["Input.LastName"] = "Admin", ["Input.Email"] = v.Email, ["Input.Password"] = PortalFixture.Password,
                });
            })).ToList();
            go.SetResult();
            var responses = await Task.WhenAll(posts).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NotFound);
            Assert.Equal(1, await fresh.WithDbAsync(db => db.Admins.CountAsync()));
            using var late = fresh.NewBrowser();
            Assert.Equal(HttpStatusCode.NotFound, (await late.GetAsync($"/admin/setup?token={token}")).Status);
            foreach (var visitor in visitors)
            {
                visitor.Browser.Dispose();
            }
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }
}
