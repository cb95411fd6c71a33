using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Support;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Tests.Features.Identity;
using Portal.Tests.Features.Membership;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// Contention is not an error (issue 29): a write that keeps meeting a busy database (SQLite's lock held, a PostgreSQL
/// row lock not granted, a deadlock, a serialization failure) is tried again a few times and then answered with its
/// form, "The service is busy, please try again", 503 and Retry-After, with nothing written; one that meets it once
/// goes through, written once.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class BusyDatabaseTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task A_registration_that_finds_the_database_busy_past_its_retries_gets_its_form_back_with_503_and_nothing_is_written()
    {
        using var browser = portal.NewBrowser();
        var form = await browser.GetAsync("/register");
        var email = PortalFixture.UniqueEmail("busy");
        var request = Guid.NewGuid().ToString("N");
        browser.Client.DefaultRequestHeaders.Add(DatabaseFaults.Header, request);

        var response = await browser.SubmitAsync(form, RegisterTests.Form(email, "Busy Day Co"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(BusyException.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var page = await Page.ReadAsync(response);
        Assert.Equal(BusyException.UserMessage, page.Document.QuerySelector("[data-flash-warning]")?.TextContent.Trim());
        Assert.Equal(email, page.Document.QuerySelector("input[name='Input.Email']")?.GetAttribute("value"));
        Assert.Equal("Busy Day Co", page.Document.QuerySelector("input[name='Input.CompanyName']")?.GetAttribute("value"));
        Assert.Equal(WriteUnit.Attempts, DatabaseFaults.FaultedIn(request).Count);
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.Email == email)));
        SecurityReport.Add(SecurityReport.BusyAnswers);

        // The same form, sent again when the database has its turn to give, goes through.
        browser.Client.DefaultRequestHeaders.Remove(DatabaseFaults.Header);
        var again = await browser.SubmitAsync(page, new() { ["Input.Password"] = PortalFixture.Password, ["Input.ConfirmPassword"] = PortalFixture.Password });
        Assert.Equal("/dashboard", again.Headers.Location?.PathAndQuery());
        Assert.Equal(1, await portal.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task A_transactional_command_that_stays_busy_throws_busy_and_writes_nothing()
    {
        var (_, client) = await portal.CreateOwnerAsync("Stays Busy Co");
        var invited = PortalFixture.UniqueEmail("never-invited");

        await Assert.ThrowsAsync<BusyException>(() => DatabaseFaults.AlwaysBusy(() =>
            slice.SendAsync(new InviteUser.Command { ClientId = client.Id, Email = invited, AllPermissions = true })));

        Assert.False(await portal.WithDbAsync(db => db.Invitations.AnyAsync(i => i.Email == invited)));
        Assert.False(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.Description.Contains(invited))));
        Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == invited)));
    }

    [Fact]
    public async Task A_write_that_meets_a_busy_database_once_is_run_again_and_written_once()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Once Busy Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var before = DatabaseFaults.Faulted.GetValueOrDefault(WriteUnitNames.Of(typeof(OpenTicket.Command)));
        var department = await portal.DepartmentAsync();

        var response = await browser.SubmitAsync("/tickets/new", new()
        {
            ["Input.DepartmentId"] = department.Id.ToString(), ["Input.Subject"] = "Written once", ["Input.Message"] = "The first try meets a fault.",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(DatabaseFaults.Faulted.GetValueOrDefault(WriteUnitNames.Of(typeof(OpenTicket.Command))) > before);
        Assert.Equal(1, await portal.WithDbAsync(db => db.Tickets.CountAsync(t => t.ClientId == client.Id && t.Subject == "Written once")));
        Assert.Equal(1, await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == client.Id && e.Description.Contains("Written once"))));
        Assert.Equal(1, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.ClientId == client.Id && m.Subject.Contains("Written once"))));
    }

    [Fact]
    public async Task Every_form_that_writes_answers_a_busy_database_with_its_page_503_and_nothing_written()
    {
        var (owner, a) = await portal.CreateOwnerAsync("Busy Forms Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(a.Id, member.Id, Permission.Tickets);
        using (var inviter = await portal.LoginAsync(owner.Email!))
        {
            await inviter.InviteAsync(PortalFixture.UniqueEmail("busy-invitee"));
        }

        var invitationLink = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == a.Id).OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync());
        var invitationId = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == a.Id).Select(i => i.Id).SingleAsync());
        var department = await portal.DepartmentAsync();
        var ticket = await portal.TicketAsync(a.Id, owner.AsSender());
        var contact = await portal.ContactAsync(a.Id, PortalFixture.UniqueEmail("busy-contact"));
        var (_, guestToken) = await portal.GuestTicketAsync(PortalFixture.UniqueEmail("busy-guest"));
        var support = new RouteValues.SupportIds(ticket.Id, contact.Id, department.Id, guestToken);
        var billing = await RouteValues.BillingOfAsync(portal, a.Id, owner.Id);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();
        var answered = new List<string>();
        var failures = new List<string>();

        foreach (var route in await RouteMatrixTests.DiscoverAsync(portal.Factory))
        {
            if (route.Template.StartsWith("/admin/jobs", StringComparison.Ordinal) || route.Template is "/healthz" or "/logout" or "/admin/logout"
                || route.Template.StartsWith("/error", StringComparison.Ordinal))
            {
                continue;
            }

            var path = route.Template.StartsWith("/invite", StringComparison.Ordinal)
                ? InvitationSteps.LinkIn(invitationLink)
                : RouteValues.Fill(route.Template, a.Id, member.Id, invitationId, support, billing);
            using var anonymous = portal.NewBrowser();
            var browser = route.Access switch
            {
                RouteMatrixTests.Access.Anonymous => anonymous,
                RouteMatrixTests.Access.Admin => admin,
                _ => ownerBrowser,
            };
            var page = await browser.GetAsync(path);
            if (page.Status != HttpStatusCode.OK)
            {
                continue;
            }

            // Every posted form as the page fills it, buttons included: whatever reaches a write unit must give up with 503.
            foreach (var form in page.Document.QuerySelectorAll("main form").OfType<IHtmlFormElement>().Where(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase)))
            {
                var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
                var id = Guid.NewGuid().ToString("N");
                var before = await portal.WithDbAsync(RowCountsAsync);
                using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(Fields(form)) };
                request.Headers.Add(DatabaseFaults.Header, id);
                request.Headers.Add(PortalFactory.TestIpHeader, $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
                using var response = await browser.Client.SendAsync(request);
                var units = DatabaseFaults.FaultedIn(id);
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    failures.Add($"{action}: 500");
                    continue;
                }

                if (units.Count == 0)
                {
                    continue;
                }

                var shown = await Page.ReadAsync(response);
                var after = await portal.WithDbAsync(RowCountsAsync);
                var written = after.Where(t => before.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key).ToList();
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    failures.Add($"{action} ({string.Join(", ", units.Distinct())}): {(int)response.StatusCode} instead of 503");
                }
                else if (response.Headers.RetryAfter?.Delta != TimeSpan.FromSeconds(BusyException.RetryAfterSeconds))
                {
                    failures.Add($"{action}: no Retry-After");
                }
                else if (shown.Document.QuerySelector("[data-flash-warning]")?.TextContent.Trim() != BusyException.UserMessage || shown.Document.QuerySelector("main form") is null)
                {
                    failures.Add($"{action}: the page does not say the service is busy, or has no form");
                }
                else if (written.Count > 0)
                {
                    failures.Add($"{action}: rows written in {string.Join(", ", written)}");
                }

                answered.Add($"{action} ({units[0]})");
                SecurityReport.Add(SecurityReport.BusyAnswers);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} forms mishandled a busy database:\n" + string.Join("\n", failures));
        Assert.True(answered.Count >= 8, $"Only {answered.Count} forms reached a write unit: {string.Join(", ", answered)}");
    }

    /// <summary>How many rows each table holds.</summary>
    private static async Task<Dictionary<string, long>> RowCountsAsync(PortalDbContext db)
    {
        var counts = new Dictionary<string, long>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return counts;
    }

    /// <summary>The fields a browser would post: checked boxes, chosen options, and the first submit button's name and value.</summary>
    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
                    if (input.Type is not ("checkbox" or "radio") || input.IsChecked)
                    {
                        fields.Add(new(input.Name!, input.Value));
                    }

                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name!, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
            }
        }

        if (form.QuerySelector("button[type=submit][name], button:not([type])[name], input[type=submit][name]") is { } submit)
        {
            fields.Add(new(submit.GetAttribute("name")!, submit.GetAttribute("value") ?? ""));
        }

        return fields;
    }
}
