using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Tests.Infrastructure;
using Portal.Features.Clients;
using Portal.Tests.Features.Retention;

namespace Portal.Tests.Features.Activity;

[Collection(ActivityCollection.Name)]
public sealed class ActivitySearchTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..10];

    private static DateTimeOffset Utc(int day, int minute = 0) => new DateTimeOffset(2021, 4, day, 9, 0, 0, TimeSpan.Zero).AddMinutes(minute);

    private Task AddAsync(params ActivityLogEntry[] entries) => slice.InsertAsync(entries);

    private async Task<List<string>> SearchAsync(int clientId, string text) =>
        [.. (await slice.SendAsync(new AccountActivity.Query(clientId, new AccountActivity.Filter(text, null, null), PageRequest.First))).Entries.Items.Select(r => r.Description)];

    private async Task<List<long>> AdminSearchAsync(string text, int? clientId = null) =>
        [.. (await slice.SendAsync(new ListActivity.Query(clientId, null, null, text, null, null, PageRequest.First))).Entries.Items.Select(r => r.Id)];

    private Task IndexIsInStepAsync() =>
        slice.ExecuteDbContextAsync(async db =>
        {
            if (!db.Database.IsSqlite())
            {
                // SQLite's FTS5 tables are the app's own, kept by triggers, and can drift; PostgreSQL's GIN indexes are the
                // server's, with no integrity check of this kind. The searches above prove the results on both.
                return;
            }

            // FTS5 compares an external-content index with its table and fails when they differ.
            await db.Database.ExecuteSqlRawAsync("INSERT INTO ActivityLogSearch(ActivityLogSearch, rank) VALUES ('integrity-check', 1);");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO UserSearch(UserSearch, rank) VALUES ('integrity-check', 1);");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO ClientSearch(ClientSearch, rank) VALUES ('integrity-check', 1);");
        });

    [Fact]
    public async Task Search_finds_by_word_by_the_start_of_a_word_and_by_a_quoted_phrase_in_any_case_and_with_or_without_accents()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Searched Co");
        var marker = Marker();
        await AddAsync(
            new ActivityLogEntry(Utc(1), $"Invoice {marker} refunded in full", client.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(2), $"Full refund of invoice {marker} noted in the ledger", client.Id, owner.Id, null, "10.0.0.1"),
            new ActivityLogEntry(Utc(3), $"Profile of Café Crème {marker} updated", client.Id, owner.Id, null, "10.0.0.1"));

        Assert.Equal(3, (await SearchAsync(client.Id, marker)).Count);
        Assert.Equal([$"Full refund of invoice {marker} noted in the ledger", $"Invoice {marker} refunded in full"], await SearchAsync(client.Id, $"{marker} REFUN"));
        Assert.Equal([$"Invoice {marker} refunded in full"], await SearchAsync(client.Id, $"{marker} \"refunded in full\""));
        Assert.Empty(await SearchAsync(client.Id, $"{marker} \"full refunded\""));
        Assert.Equal([$"Profile of Café Crème {marker} updated"], await SearchAsync(client.Id, $"{marker} cafe CREME"));
        Assert.Equal([$"Profile of Café Crème {marker} updated"], await SearchAsync(client.Id, $"{marker} é"));
    }

    [Fact]
    public async Task A_term_looked_up_by_its_rarest_characters_still_matches_only_entries_holding_all_of_it()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Narrowed Co");
        var marker = Marker();
        await AddAsync(
            new ActivityLogEntry(Utc(9), $"Invited user42@{marker}.test", client.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(9), $"Invited tester42@{marker}.test", client.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(9), $"Invited user420@{marker}.test", client.Id, owner.Id, null, null));

        // The index is asked for "r42@" (SearchTerms.Narrowed), which all but the last hold; only one holds the whole term.
        Assert.Equal([$"Invited user42@{marker}.test"], await SearchAsync(client.Id, $"user42@{marker}"));
        Assert.Equal(2, (await AdminSearchAsync($"42@{marker}.test")).Count);
    }

    [Fact]
    public async Task Quotes_stars_dashes_near_and_other_query_syntax_are_looked_for_as_text_never_an_error()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Syntax Co");
        var marker = Marker();
        await AddAsync(
            new ActivityLogEntry(Utc(4), $"Renamed {marker} to \"Big*\" -draft NEAR col:x (a OR b) ^top", client.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(5), $"Plain {marker} entry", client.Id, owner.Id, null, null));
        var literal = $"Renamed {marker} to \"Big*\" -draft NEAR col:x (a OR b) ^top";

        foreach (var text in new[] { "\"Big*\"", "Big*", "-draft", "NEAR", "col:x", "(a OR b)", "^top", "\"Big", "*", "-", "\"", "a OR b", "\"NEAR col:x\"" })
        {
            Assert.True((await SearchAsync(client.Id, $"{marker} {text}")).SequenceEqual([literal]), $"searching {text}");
        }

        foreach (var text in new[] { "*draft", "\"draft -\"", "NOT", "col:y", "\"\"\"x", "AND" })
        {
            Assert.Empty(await SearchAsync(client.Id, $"{marker} {text}"));
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        using var owners = await portal.LoginAsync((await portal.CreateOwnerAsync("Syntax Page Co")).User.Email!);
        foreach (var text in new[] { "\"", "\"\"\"", "*", "-", "NEAR", "NEAR(", "a\"b", "\"unbalanced", "x*\"y", "AND OR NOT", "{col}:x", "^", "\0\0\0" })
        {
            var query = "?text=" + Uri.EscapeDataString(text);
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin/activity" + query)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await owners.Client.GetAsync("/account/activity" + query)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await owners.Client.GetAsync("/account/activity" + query + "&handler=Csv")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin/users?q=" + Uri.EscapeDataString(text))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin/clients?q=" + Uri.EscapeDataString(text))).StatusCode);
        }
    }

    [Fact]
    public async Task The_index_follows_inserts_changes_and_deletions_whoever_writes_them()
    {
        var (owner, client) = await slice.CreateOwnerAsync("In Step Co");
        var marker = Marker();
        var entry = new ActivityLogEntry(Utc(6), $"Ticket {marker} opened", client.Id, owner.Id, null, null);
        await AddAsync(entry);
        Assert.Equal([entry.Id], await AdminSearchAsync($"{marker} opened"));

        await slice.ExecuteDbContextAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"ActivityLog\" SET \"Description\" = {"Ticket " + marker + " closed"} WHERE \"Id\" = {entry.Id}"));
        Assert.Empty(await AdminSearchAsync($"{marker} opened"));
        Assert.Equal([entry.Id], await AdminSearchAsync($"{marker} closed"));

        await slice.ExecuteDbContextAsync(db => db.ActivityLog.Where(e => e.Id == entry.Id).ExecuteDeleteAsync());
        Assert.Empty(await AdminSearchAsync(marker));
        await IndexIsInStepAsync();
    }

    [Fact]
    public async Task Deleting_a_client_keeps_its_history_searchable_and_every_index_in_step()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Deleted Search Co");
        var marker = Marker();
        await AddAsync(new ActivityLogEntry(Utc(7), $"Order {marker} placed", client.Id, owner.Id, null, null));
        Assert.Single(await AdminSearchAsync(marker));

        await slice.SendAsync(new DeleteClient.Command { ClientId = client.Id, DeleteUsers = true, Confirm = true });

        Assert.Single(await AdminSearchAsync(marker, client.Id));
        Assert.DoesNotContain((await slice.SendAsync(new Portal.Features.Clients.ListClients.Query("Deleted Search Co", null, PageRequest.First))).Items, c => c.Id == client.Id);
        Assert.Empty((await slice.SendAsync(new Portal.Features.Identity.ListUsers.Query(owner.Email, null, false, PageRequest.First))).Items);
        await IndexIsInStepAsync();
    }

    [Fact]
    public async Task The_retention_jobs_deletions_leave_every_index_in_step_and_the_pruned_client_and_owner_unfound()
    {
        await slice.SetRetentionAsync(1, deleteUsers: true);
        var marker = Marker();
        var owner = await slice.CreateUserAsync($"{marker}@example.test");
        var client = await portal.CreateClientAsync(owner.Id, $"Pruned {marker} Co", ClientStatus.Inactive);
        await AddAsync(new ActivityLogEntry(slice.Now, $"Dormant {marker} entry", client.Id, owner.Id, null, null));
        slice.Time.Advance(TimeSpan.FromDays(62));
        try
        {
            await slice.RunAsync();
        }
        finally
        {
            await slice.SetRetentionAsync(null, deleteUsers: false);
        }

        Assert.False(await slice.ExistsAsync(client));
        Assert.Empty((await slice.SendAsync(new Portal.Features.Clients.ListClients.Query(marker, null, PageRequest.First))).Items);
        Assert.Empty((await slice.SendAsync(new Portal.Features.Identity.ListUsers.Query(marker, null, false, PageRequest.First))).Items);
        var left = await slice.ExecuteDbContextAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id).Select(e => e.Id).ToListAsync());
        Assert.Equal(left.Order(), (await AdminSearchAsync(marker, client.Id)).Order());
        await IndexIsInStepAsync();
    }

    [Fact]
    public async Task An_owners_search_never_returns_another_accounts_entries()
    {
        var (owner, mine) = await portal.CreateOwnerAsync("Mine Co");
        var (stranger, theirs) = await slice.CreateOwnerAsync("Theirs Co");
        var marker = Marker();
        await AddAsync(
            new ActivityLogEntry(Utc(8), $"Secret {marker} of mine", mine.Id, owner.Id, null, null),
            new ActivityLogEntry(Utc(8), $"Secret {marker} of theirs", theirs.Id, stranger.Id, null, null),
            new ActivityLogEntry(Utc(8), $"Secret {marker} of nobody's", null, null, null, null));
        using var browser = await portal.LoginAsync(owner.Email!);

        foreach (var text in new[] { marker, "Secret", "\"of theirs\"", "theirs", "s", "nobody" })
        {
            Assert.DoesNotContain(await SearchAsync(mine.Id, text), d => d.Contains("theirs") || d.Contains("nobody"));
            var page = await browser.GetAsync("/account/activity?text=" + Uri.EscapeDataString(text) + $"&clientId={theirs.Id}");
            Assert.DoesNotContain(page.Document.QuerySelectorAll("[data-description]"), d => d.TextContent.Contains("theirs") || d.TextContent.Contains("nobody"));
        }

        Assert.Equal([$"Secret {marker} of mine"], await SearchAsync(mine.Id, marker));
    }

    [Fact]
    public async Task Paging_older_shows_every_entry_exactly_once_while_new_entries_are_written_and_newer_leads_back_to_them_all()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Keyset Co");
        // Entries share moments in threes, so the id must break the ties.
        var existing = Enumerable.Range(0, 130).Select(i => new ActivityLogEntry(Utc(10, i / 3), $"Existing entry {i}", client.Id, owner.Id, null, null)).ToArray();
        await AddAsync(existing);
        var seen = new List<long>();
        var request = PageRequest.First;
        var written = new List<ActivityLogEntry>();
        while (true)
        {
            var page = (await slice.SendAsync(new AccountActivity.Query(client.Id, new AccountActivity.Filter(null, null, null), request))).Entries;
            seen.AddRange(page.Items.Select(r => r.Id));
            var newer = new ActivityLogEntry(Utc(20, written.Count), $"Written while paging {written.Count}", client.Id, owner.Id, null, null);
            var sameMoment = new ActivityLogEntry(Utc(10, 20), $"Written at an old moment {written.Count}", client.Id, owner.Id, null, null);
            await AddAsync(newer, sameMoment);
            written.AddRange([newer, sameMoment]);
            if (page.Older is null)
            {
                break;
            }

            request = new PageRequest(page.Older, null);
        }

        var beforePaging = existing.Select(e => e.Id).ToHashSet();
        var seenBefore = seen.Where(beforePaging.Contains).ToList();
        Assert.Equal(beforePaging.Count, seenBefore.Count);
        Assert.Equal(beforePaging.Order(), seenBefore.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var expectedOrder = existing.Concat(written).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Id).Where(seen.Contains).ToList();
        Assert.Equal(expectedOrder, seen);

        var upwards = new List<long>();
        request = new PageRequest(null, MomentKey.Of(existing[0].At, existing[0].Id).ToString());
        while (true)
        {
            var page = (await slice.SendAsync(new AccountActivity.Query(client.Id, new AccountActivity.Filter(null, null, null), request))).Entries;
            if (page.Newer is null)
            {
                upwards.InsertRange(0, page.Items.Select(r => r.Id));
                break;
            }

            upwards.InsertRange(0, page.Items.Select(r => r.Id));
            request = new PageRequest(null, page.Newer);
        }

        // Back at the top the first page is shown in full, so only its rows may repeat what the page below showed.
        Assert.Equal(existing.Skip(1).Concat(written).Select(e => e.Id).Order(), upwards.Distinct().Order());
        Assert.True(upwards.Count - upwards.Distinct().Count() < AccountActivity.PageSize);
    }
}
