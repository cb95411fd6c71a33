using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Activity;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Web;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Activity;

/// <summary>Runs only on SQLite, whose search reads a common term's entries a window at a time (PostgreSQL's planner chooses its own way).</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute(string reason = "The windowed search plan is SQLite's; this run is on PostgreSQL.")
    {
        if (TestDatabase.IsPostgres)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// SQLite's search of a common term, which reads the filtered entries newest first a window at a time instead of
/// collecting every match from the full-text index: same matches, same order, every one reachable by Older and Newer.
/// </summary>
[Collection(ActivityCollection.Name)]
public sealed class WindowedSearchTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static string Marker() => "w" + Guid.NewGuid().ToString("N")[..10];

    private static DateTimeOffset Utc(int minute) => new DateTimeOffset(2022, 3, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(minute);

    /// <summary>The owner's page as the app reads it, but with the search's limits given: 0 indexed matches makes every term "common".</summary>
    private Task<ActivityPage<AccountActivity.Row>> OwnerPageAsync(int clientId, string text, PageRequest request, int window) =>
        slice.ExecuteScopeAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var search = new SqliteActivitySearch(db, new ActivitySearchLimits { IndexedMatches = 0, RowsPerPage = window }, new MemoryCache(new MemoryCacheOptions()));
            var handler = new AccountActivity.Handler(db, search, services.GetRequiredService<ViewerDates>());
            return await handler.Handle(new AccountActivity.Query(clientId, new AccountActivity.Filter(text, null, null), request), CancellationToken.None);
        });

    [SqliteFact]
    public async Task Reading_seven_entries_a_page_still_finds_every_match_once_newest_first_and_newer_leads_back_to_them_all()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Window Co");
        var (stranger, other) = await slice.CreateOwnerAsync("Window Neighbour Co");
        var marker = Marker();
        // Moments out of insertion order and shared in pairs, so neither the id alone nor the time alone gives the order.
        var entries = Enumerable.Range(0, 60).Select(i => new ActivityLogEntry(
            Utc((i * 37 % 60) / 2),
            (i % 4) switch
            {
                0 => $"Refund {marker} #{i} issued",
                1 => $"RÉFUND {marker} #{i} noted",
                _ => $"Payment {marker} #{i} taken",
            },
            client.Id, owner.Id, null, null)).ToArray();
        await slice.InsertAsync(entries);
        await slice.InsertAsync(new ActivityLogEntry(Utc(5), $"Refund {marker} of the neighbour", other.Id, stranger.Id, null, null));
        var expected = entries.Where(e => !e.Description.StartsWith("Payment", StringComparison.Ordinal))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Id).ToList();

        var seen = new List<long>();
        var request = PageRequest.First;
        var pagesThatRanOut = 0;
        while (true)
        {
            var page = await OwnerPageAsync(client.Id, $"refund {marker}", request, window: 7);
            Assert.NotNull(page.Window);
            pagesThatRanOut += page.Window.SearchedTo is null ? 0 : 1;
            seen.AddRange(page.Entries.Items.Select(r => r.Id));
            if (page.Entries.Older is null)
            {
                break;
            }

            request = new PageRequest(page.Entries.Older, null);
        }

        Assert.Equal(expected, seen);
        Assert.True(pagesThatRanOut >= 60 / 7, "each page read only its window of seven entries");

        var upwards = new List<long>();
        request = new PageRequest(null, MomentKey.Of(entries.Min(e => e.At), 0).ToString());
        for (var guard = 0; guard < 100; guard++)
        {
            var page = await OwnerPageAsync(client.Id, $"refund {marker}", request, window: 7);
            upwards.InsertRange(0, page.Entries.Items.Select(r => r.Id));
            if (page.Entries.Newer is null)
            {
                break;
            }

            request = new PageRequest(null, page.Entries.Newer);
        }

        // Back at the top the first page is shown again in full, so only its rows may repeat (Distinct keeps the top's).
        Assert.Equal(expected, upwards.Distinct().ToList());
    }

    [SqliteFact]
    public async Task Entries_written_while_a_windowed_search_is_paged_neither_repeat_nor_push_a_match_out()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Window Writes Co");
        var marker = Marker();
        var entries = Enumerable.Range(0, 40).Select(i => new ActivityLogEntry(
            Utc(i / 2), i % 3 == 0 ? $"Renewal {marker} #{i} billed" : $"Login {marker} #{i}", client.Id, owner.Id, null, null)).ToArray();
        await slice.InsertAsync(entries);
        var expected = entries.Where(e => e.Description.StartsWith("Renewal", StringComparison.Ordinal))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Id).ToList();

        var seen = new List<long>();
        var request = PageRequest.First;
        for (var written = 0; ; written++)
        {
            var page = await OwnerPageAsync(client.Id, $"renewal {marker}", request, window: 5);
            seen.AddRange(page.Entries.Items.Select(r => r.Id));
            // A match newer than everything, and one at a moment the pages have already passed.
            await slice.InsertAsync(
                new ActivityLogEntry(Utc(100 + written), $"Renewal {marker} written while paging {written}", client.Id, owner.Id, null, null),
                new ActivityLogEntry(Utc(19), $"Renewal {marker} written at an old moment {written}", client.Id, owner.Id, null, null));
            if (page.Entries.Older is null)
            {
                break;
            }

            request = new PageRequest(page.Entries.Older, null);
        }

        Assert.Equal(expected, seen.Where(expected.Contains));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [SqliteFact]
    public async Task Case_accents_and_the_characters_of_like_patterns_match_the_same_whichever_way_the_log_is_read()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Folding Co");
        var marker = Marker();
        await slice.InsertAsync(
            new ActivityLogEntry(Utc(1), $"Profile of Café Crème {marker} updated", client.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(2), $"Discount 50%_off\\x {marker} applied", client.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(3), $"Shipped to Ærøskøbing via Ωmega {marker}", client.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(4), $"Plain {marker} entry with cafe in it", client.Id, owner.Id, null, null));

        foreach (var text in new[] { "cafe", "CAFÉ crème", "\"café crème\"", "50%_off\\x", "50%off", "%_o", "ærø", "ÆRØSKØBING", "ωMEGA", "creme", "\"cafe in\"", "crè" })
        {
            var query = $"{marker} {text}";
            var indexed = await slice.SendAsync(new AccountActivity.Query(client.Id, new AccountActivity.Filter(query, null, null), PageRequest.First));
            var windowed = await OwnerPageAsync(client.Id, query, PageRequest.First, window: 10);
            Assert.Null(indexed.Window);
            // A term the index finds nowhere is answered at once, with no window to read.
            Assert.Equal(indexed.Entries.Items.Count > 0, windowed.Window is not null);
            Assert.True(indexed.Entries.Items.Select(r => r.Id).SequenceEqual(windowed.Entries.Items.Select(r => r.Id)), $"searching {text}");
        }

        Assert.Equal(2, (await OwnerPageAsync(client.Id, $"{marker} cafe", PageRequest.First, window: 10)).Entries.Items.Count);
        Assert.Single((await OwnerPageAsync(client.Id, $"{marker} ωMEGA", PageRequest.First, window: 10)).Entries.Items);
        Assert.Empty((await OwnerPageAsync(client.Id, $"{marker} 50%off", PageRequest.First, window: 10)).Entries.Items);
    }

    [SqliteFact]
    public async Task An_owner_searching_a_common_term_is_told_how_far_back_a_page_searched_and_older_finds_the_old_match()
    {
        var limits = await slice.ExecuteScopeAsync(services => Task.FromResult(services.GetRequiredService<ActivitySearchLimits>()));
        var (owner, client) = await portal.CreateOwnerAsync("Long History Co");
        var (stranger, busy) = await slice.CreateOwnerAsync("Common Term Co");
        var marker = Marker();
        // The term is common across the log (in more entries than the index is trusted with), but this account has
        // it only in one entry older than a whole window of its own entries.
        await slice.InsertAsync([.. Enumerable.Range(0, limits.IndexedMatches + 1).Select(i => new ActivityLogEntry(Utc(i), $"Vault {marker} checked", busy.Id, stranger.Id, null, null))]);
        await slice.InsertAsync(new ActivityLogEntry(Utc(-1), $"Vault {marker} opened by the owner", client.Id, owner.Id, null, null));
        await slice.InsertAsync([.. Enumerable.Range(0, limits.RowsPerPage).Select(i => new ActivityLogEntry(Utc(i), $"Routine backup {i}", client.Id, owner.Id, null, null))]);
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync($"/account/activity?text={Uri.EscapeDataString($"vault {marker}")}");

        Assert.Empty(page.Document.QuerySelectorAll("[data-description]"));
        Assert.Empty(page.Document.QuerySelectorAll("[data-empty-state]"));
        var window = page.Document.QuerySelector("[data-search-window]")!.TextContent;
        Assert.Contains("No matches among the entries searched so far, back to", window);
        Assert.Contains("Choose Older to search further back", System.Text.RegularExpressions.Regex.Replace(window, @"\s+", " "));

        var older = await browser.GetAsync(page.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal([$"Vault {marker} opened by the owner"], older.Document.QuerySelectorAll("[data-description]").Select(d => d.TextContent));
        Assert.Null(older.Document.QuerySelector("a[rel=next]"));
        Assert.NotNull(older.Document.QuerySelector("a[rel=prev]"));
    }
}
