using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Activity;
using Portal.Features.Settings;
using Portal.Features.Membership;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Features.Activity;

[Collection(ActivityCollection.Name)]
public sealed class AccountActivityTests(PortalFixture portal)
{
    private Task AddEntriesAsync(params ActivityLogEntry[] entries) =>
        portal.WithDbAsync(async db =>
        {
            db.ActivityLog.AddRange(entries);
            await db.SaveChangesAsync();
        });

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 12) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static List<string> Descriptions(Page page) => page.Document.QuerySelectorAll("[data-description]").Select(d => d.TextContent).ToList();

    private static async Task ChooseAccountAsync(Browser browser, int clientId)
    {
        var choose = await browser.GetAsync("/user/accounts");
        var response = await browser.SubmitAsync(choose, [], $"[data-client-id='{clientId}'] form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task The_owner_reads_the_entries_as_sentences_and_the_csv_keeps_the_logs_notation()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Readable Log Co");
        var stored = $"Invited sam@example.test to {client.DisplayName} (#{client.Id}) with permissions {{View Emails, View Orders}}";
        await AddEntriesAsync(new ActivityLogEntry(Utc(2025, 7, 1), stored, client.Id, owner.Id, null, "10.0.0.9"));
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync("/account/activity");
        var csv = await (await browser.Client.GetAsync("/account/activity?handler=Csv")).Content.ReadAsStringAsync();

        Assert.Contains($"Invited sam@example.test to {client.DisplayName} with permissions View Emails and View Orders", Descriptions(page));
        Assert.DoesNotContain(Descriptions(page), d => d.Contains("(#") || d.Contains('{'));
        Assert.Contains(stored, csv);
    }

    [Fact]
    public async Task The_owner_sees_only_the_active_accounts_entries_whatever_the_url_says()
    {
        var owner = await portal.CreateUserAsync();
        var first = await portal.CreateClientAsync(owner.Id, "First Activity Co");
        var second = await portal.CreateClientAsync(owner.Id, "Second Activity Co");
        var (stranger, strangers) = await portal.CreateOwnerAsync("Stranger Activity Co");
        await AddEntriesAsync(
            new ActivityLogEntry(Utc(2025, 6, 1), "Entry of the first account", first.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(2025, 6, 2), "Entry of the second account", second.Id, owner.Id, null, "10.0.0.2"),
            new ActivityLogEntry(Utc(2025, 6, 3), "Entry of a stranger's account", strangers.Id, stranger.Id, null, "10.0.0.3"));
        using var browser = await portal.LoginAsync(owner.Email!);

        await ChooseAccountAsync(browser, first.Id);
        var firstPage = await browser.GetAsync($"/account/activity?clientId={strangers.Id}&ClientId={second.Id}");
        await ChooseAccountAsync(browser, second.Id);
        var secondPage = await browser.GetAsync("/account/activity");
        var secondCsv = await (await browser.Client.GetAsync($"/account/activity?handler=Csv&clientId={first.Id}")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, firstPage.Status);
        Assert.Contains("Entry of the first account", Descriptions(firstPage));
        Assert.DoesNotContain(Descriptions(firstPage), d => d.Contains("second account") || d.Contains("stranger"));
        Assert.Contains("Entry of the second account", Descriptions(secondPage));
        Assert.DoesNotContain(Descriptions(secondPage), d => d.Contains("first account") || d.Contains("stranger"));
        Assert.Contains("Entry of the second account", secondCsv);
        Assert.DoesNotContain("first account", secondCsv);
        Assert.DoesNotContain("stranger", secondCsv);
        Assert.NotNull(secondPage.Document.QuerySelector("nav a[href='/account/activity']"));
    }

    [Fact]
    public async Task A_non_owner_with_every_permission_is_refused_the_page_and_the_export()
    {
        var (_, client) = await portal.CreateOwnerAsync("Private Activity Co");
        var deputy = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, deputy.Id, [.. Enum.GetValues<Permission>()]);
        await AddEntriesAsync(new ActivityLogEntry(Utc(2025, 6, 1), "Secret owner business", client.Id, null, null, null));
        using var browser = await portal.LoginAsync(deputy.Email!);

        var page = await browser.GetAsync("/account/activity");
        var csv = await browser.Client.GetAsync("/account/activity?handler=Csv");
        var dashboard = await browser.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.DoesNotContain("Secret owner business", page.Text);
        Assert.Equal(HttpStatusCode.Forbidden, csv.StatusCode);
        Assert.DoesNotContain("Secret owner business", await csv.Content.ReadAsStringAsync());
        Assert.Null(dashboard.Document.QuerySelector("nav a[href='/account/activity']"));
    }

    [Fact]
    public async Task The_owner_keeps_the_activity_page_and_its_menu_link_when_user_management_is_disabled()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Unmanaged Activity Co");
        await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "true");
        try
        {
            using var browser = await portal.LoginAsync(owner.Email!);
            var dashboard = await browser.GetAsync("/dashboard");

            Assert.Null(dashboard.Document.QuerySelector("nav a[href='/account/users']"));
            Assert.NotNull(dashboard.Document.QuerySelector("nav a[href='/account/activity']"));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/activity")).Status);
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "false");
        }
    }

    [Fact]
    public async Task Entries_read_newest_first_and_filter_by_text_and_utc_dates_with_an_empty_state()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Filtered Activity Co");
        await AddEntriesAsync(
            new ActivityLogEntry(Utc(2024, 3, 9, 23), "Invoice paid before the range", client.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(2024, 3, 10, 0), "Invoice paid on the first day", client.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(2024, 3, 11, 23), "Ticket opened on the last day", client.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(2024, 3, 12, 0), "Invoice paid after the range", client.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(2024, 3, 10, 12), "100%_literal wildcard text", client.Id, owner.Id, null, "10.0.0.1"));
        using var browser = await portal.LoginAsync(owner.Email!);

        var range = await browser.GetAsync("/account/activity?from=2024-03-10&to=2024-03-11");
        var text = await browser.GetAsync("/account/activity?text=INVOICE%20PAID&from=2024-03-10&to=2024-03-11");
        var wildcard = await browser.GetAsync("/account/activity?text=0%25_l");
        var literalOnly = await browser.GetAsync("/account/activity?text=_");
        var none = await browser.GetAsync("/account/activity?text=no%20such%20thing");

        Assert.Equal(["Ticket opened on the last day", "100%_literal wildcard text", "Invoice paid on the first day"], Descriptions(range));
        Assert.Equal("2024-03-11 23:00:00", range.Document.QuerySelector("[data-at]")!.TextContent);
        Assert.Equal(["Invoice paid on the first day"], Descriptions(text));
        Assert.Equal("INVOICE PAID", text.Document.QuerySelector("input[name=text]")!.GetAttribute("value"));
        Assert.Equal(["100%_literal wildcard text"], Descriptions(wildcard));
        Assert.Equal(["100%_literal wildcard text"], Descriptions(literalOnly));
        Assert.NotNull(none.Document.QuerySelector("[data-empty-state]"));
        Assert.Empty(Descriptions(none));
        Assert.Equal("/account/activity?handler=Csv&text=INVOICE%20PAID&from=2024-03-10&to=2024-03-11", text.Document.QuerySelector("a[data-export]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Long_results_are_paged_and_the_pager_keeps_the_filters()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Paged Activity Co");
        await AddEntriesAsync([.. Enumerable.Range(1, 55).Select(i => new ActivityLogEntry(Utc(2023, 1, 1).AddMinutes(i), $"Batch entry {i:00}", client.Id, owner.Id, null, "10.0.0.1"))]);
        using var browser = await portal.LoginAsync(owner.Email!);

        var first = await browser.GetAsync("/account/activity?text=batch%20entry");
        var next = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await browser.GetAsync(next);
        var back = await browser.GetAsync(second.Document.QuerySelector("a[rel=prev]")!.GetAttribute("href")!);
        var oldest = second.Document.QuerySelectorAll("tr[data-entry-id]").Last();
        var beyond = await browser.GetAsync($"/account/activity?text=batch%20entry&older={Utc(2023, 1, 1).UtcTicks}-1");

        Assert.Equal(50, Descriptions(first).Count);
        Assert.Equal("Batch entry 55", Descriptions(first)[0]);
        Assert.Contains("55 entries", first.Document.QuerySelector("[data-total]")!.TextContent);
        Assert.Null(first.Document.QuerySelector("a[rel=prev]"));
        Assert.Contains("text=batch%20entry", next);
        Assert.Contains("older=", next);
        Assert.Equal(["Batch entry 05", "Batch entry 04", "Batch entry 03", "Batch entry 02", "Batch entry 01"], Descriptions(second));
        Assert.Null(second.Document.QuerySelector("a[rel=next]"));
        Assert.Equal(Descriptions(first), Descriptions(back));
        Assert.Equal("Batch entry 01", oldest.QuerySelector("[data-description]")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, beyond.Status);
        Assert.Empty(Descriptions(beyond));
    }

    [Fact]
    public async Task Filters_that_cannot_be_read_are_ignored_with_a_message_never_an_error()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Odd Filters Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        var urls = new[]
        {
            "/account/activity?from=2026-02-30&to=not-a-date&p=abc",
            "/account/activity?from=0001-01-01&to=9999-12-31&p=-5",
            "/account/activity?p=99999999999999999999",
            "/account/activity?older=99999999999999999999-1&newer=-5",
            "/account/activity?newer=1-99999999999999999999",
            "/account/activity?text=" + Uri.EscapeDataString(new string('A', 2000)),
            "/account/activity?text=" + Uri.EscapeDataString("' OR '1'='1'; --\\%"),
            "/account/activity?handler=Csv&from=2026-02-30&to=9999-12-31&text=%00",
        };
        foreach (var url in urls)
        {
            var response = await browser.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        }

        var bad = await browser.GetAsync(urls[0]);
        Assert.Contains("Some filters were not understood", bad.Text);
    }

    [Fact]
    public async Task Provider_staff_are_shown_without_name_or_address_and_users_with_their_email_and_address()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Staffed Activity Co");
        using var admin = await portal.CreateAdminBrowserAsync();
        var updated = await admin.SubmitAsync($"/admin/clients/{client.Id}", new() { ["Input.Phone"] = "+1 555 0142" }, "form[data-profile-form]");
        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        var staffEntry = await portal.WithDbAsync(db => db.ActivityLog.SingleAsync(e => e.ClientId == client.Id && e.AdminId != null));
        var staff = await portal.WithDbAsync(db => db.Admins.SingleAsync(a => a.Id == staffEntry.AdminId));
        await AddEntriesAsync(new ActivityLogEntry(portal.Factory.Time.GetUtcNow().AddSeconds(-1), "Invitation expired by the nightly job", client.Id, null, null, null));
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync("/account/activity");
        var csv = await (await browser.Client.GetAsync("/account/activity?handler=Csv")).Content.ReadAsStringAsync();

        var staffRow = page.Document.QuerySelector($"[data-entry-id='{staffEntry.Id}']")!;
        Assert.Equal("Provider staff", staffRow.QuerySelector("[data-who]")!.TextContent);
        Assert.Equal("", staffRow.QuerySelector("[data-ip]")!.TextContent);
        var systemRow = page.Document.QuerySelectorAll("tr[data-entry-id]").Single(r => r.TextContent.Contains("nightly job"));
        Assert.Equal("System", systemRow.QuerySelector("[data-who]")!.TextContent);
        var loginRow = page.Document.QuerySelectorAll("tr[data-entry-id]").First(r => r.QuerySelector("[data-description]")!.TextContent.StartsWith("Logged in"));
        Assert.Equal(owner.Email, loginRow.QuerySelector("[data-who]")!.TextContent);
        Assert.Equal(browser.Ip, loginRow.QuerySelector("[data-ip]")!.TextContent);
        foreach (var shown in new[] { page.Text, csv })
        {
            Assert.DoesNotContain(staff.Email, shown);
            Assert.DoesNotContain($"{staff.FirstName} {staff.LastName}", shown);
        }

        Assert.DoesNotContain(page.Document.QuerySelectorAll("[data-ip]"), ip => ip.TextContent == admin.Ip);

        Assert.Contains(Csv.Parse(csv), r => r[1] == staffEntry.Description && r[2] == "Provider staff" && r[3] == "");
    }

    [Fact]
    public async Task The_csv_export_is_an_attachment_with_quoted_cells_and_formulas_neutralised()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Exported Activity Co");
        await AddEntriesAsync(
            new ActivityLogEntry(Utc(2022, 5, 1, 8), "Plain entry", client.Id, owner.Id, null, "192.0.2.7"),
            new ActivityLogEntry(Utc(2022, 5, 2, 8), "Renamed to \"Big, Bold\"\r\nsecond line", client.Id, owner.Id, null, "192.0.2.7"),
            new ActivityLogEntry(Utc(2022, 5, 3, 8), "=HYPERLINK(\"http://evil.example\",\"click\")", client.Id, owner.Id, null, "192.0.2.7"),
            new ActivityLogEntry(Utc(2022, 5, 4, 8), "+1 and -1 and @sum", client.Id, null, null, null),
            new ActivityLogEntry(Utc(2022, 5, 5, 8), "-2+3", client.Id, null, null, null),
            new ActivityLogEntry(Utc(2022, 5, 6, 8), "@SUM(A1)", client.Id, null, null, null),
            new ActivityLogEntry(Utc(2022, 5, 7, 8), "\tcmd", client.Id, null, null, null));
        using var browser = await portal.LoginAsync(owner.Email!);

        var response = await browser.Client.GetAsync("/account/activity?handler=Csv&from=2022-05-01&to=2022-05-31");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var rows = Csv.Parse(text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"attachment; filename=\"activity-{client.Id}-{portal.Factory.Time.GetUtcNow():yyyyMMdd}.csv\"", response.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal(["Date (UTC)", "Description", "Who", "IP address"], rows[0]);
        Assert.Equal(8, rows.Count);
        Assert.Equal(["2022-05-07 08:00:00", "'\tcmd", "System", ""], rows[1]);
        Assert.Equal("'@SUM(A1)", rows[2][1]);
        Assert.Equal("'-2+3", rows[3][1]);
        Assert.Equal("'+1 and -1 and @sum", rows[4][1]);
        Assert.Equal(["2022-05-03 08:00:00", "'=HYPERLINK(\"http://evil.example\",\"click\")", owner.Email!, "192.0.2.7"], rows[5]);
        Assert.Equal("Renamed to \"Big, Bold\"\r\nsecond line", rows[6][1]);
        Assert.Equal(["2022-05-01 08:00:00", "Plain entry", owner.Email!, "192.0.2.7"], rows[7]);
        Assert.Contains("\"Renamed to \"\"Big, Bold\"\"\r\nsecond line\"", text);
        Assert.EndsWith("\r\n", text);
        Assert.DoesNotContain(rows.Skip(1), r => r.Any(cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r'));
    }

    [Fact]
    public async Task Exporting_changes_nothing()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Read Only Export Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var before = await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == client.Id));

        var response = await browser.Client.GetAsync("/account/activity?handler=Csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == client.Id)));
    }

    /// <summary>A strict RFC 4180 reader, so the tests check the file as a spreadsheet would read it.</summary>
    private static class Csv
    {
        public static List<string[]> Parse(string text)
        {
            var rows = new List<string[]>();
            var row = new List<string>();
            var cell = new StringBuilder();
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == '"' && cell.Length == 0)
                {
                    i++;
                    while (true)
                    {
                        Assert.True(i < text.Length, "A quoted cell is not closed.");
                        if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                        }
                        else if (text[i] == '"')
                        {
                            i++;
                            break;
                        }
                        else
                        {
                            cell.Append(text[i++]);
                        }
                    }

                    Assert.True(i == text.Length || text[i] is ',' or '\r', $"Text after a closing quote at {i}.");
                }
                else if (text[i] == ',')
                {
                    row.Add(cell.ToString());
                    cell.Clear();
                    i++;
                }
                else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                    i += 2;
                }
                else
                {
                    Assert.False(text[i] is '"' or '\n' or '\r', $"Unquoted {(int)text[i]} at {i}.");
                    cell.Append(text[i++]);
                }
            }

            Assert.True(row.Count == 0 && cell.Length == 0, "The last record does not end with CRLF.");
            return rows;
        }
    }
}
