using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

/// <summary>A user who works for many clients finds the one they want: the list is paged and searchable.</summary>
[Collection(MembershipCollection.Name)]
public sealed class ChooseAccountTests(PortalFixture portal)
{
    private const int PageSize = Portal.Features.Membership.ChooseAccount.PageSize;

    [Fact]
    public async Task Many_accounts_are_shown_a_page_at_a_time_each_exactly_once_owned_first()
    {
        var user = await portal.CreateUserAsync();
        var theirs = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var (_, client) = await portal.CreateOwnerAsync($"Agency Client {i}");
            await portal.AssociateAsync(client.Id, user.Id, Permission.Tickets);
            theirs.Add(client.Id);
        }

        var mine = new List<int>();
        for (var i = 0; i < PageSize; i++)
        {
            mine.Add((await portal.CreateClientAsync(user.Id, $"Own Studio {i}")).Id);
        }

        using var browser = await portal.LoginAsync(user.Email!);
        var first = await browser.GetAsync("/user/accounts");
        var firstIds = Ids(first);
        Assert.Equal(mine, firstIds);
        Assert.Contains("28 accounts", first.Document.QuerySelector("[data-account-count]")!.TextContent);
        Assert.NotNull(first.Document.QuerySelector("label[for=q]"));

        var next = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await browser.GetAsync(next);
        Assert.Equal(theirs, Ids(second));
        Assert.Null(second.Document.QuerySelector("a[rel=next]"));
        var previous = second.Document.QuerySelector("a[rel=prev]")!.GetAttribute("href")!;
        Assert.Equal(mine, Ids(await browser.GetAsync(previous)));
    }

    [Fact]
    public async Task Searching_narrows_the_accounts_to_the_ones_that_match_and_says_when_none_does()
    {
        var user = await portal.CreateUserAsync();
        for (var i = 0; i < PageSize; i++)
        {
            await portal.CreateClientAsync(user.Id, $"Bakery {i}");
        }

        var harbour = await portal.CreateClientAsync(user.Id, "Harbour Lights");
        using var browser = await portal.LoginAsync(user.Email!);

        var found = await browser.GetAsync("/user/accounts?q=harbour");
        Assert.Equal([harbour.Id], Ids(found));
        Assert.Contains("1 account match", found.Document.QuerySelector("[data-account-count]")!.TextContent);

        var none = await browser.GetAsync("/user/accounts?q=%22Zeppelin*");
        Assert.Empty(Ids(none));
        Assert.Contains("None of your accounts matches", none.Document.QuerySelector("[data-empty-state]")!.TextContent);
        Assert.NotNull(none.Document.QuerySelector("a[href='/user/accounts']"));
    }

    [Fact]
    public async Task A_search_never_shows_an_account_the_user_is_not_in()
    {
        var user = await portal.CreateUserAsync();
        for (var i = 0; i <= PageSize; i++)
        {
            await portal.CreateClientAsync(user.Id, $"Mine Quayside {i}");
        }

        var (_, other) = await portal.CreateOwnerAsync("Quayside Stranger");
        using var browser = await portal.LoginAsync(user.Email!);

        var page = await browser.GetAsync("/user/accounts?q=Quayside+Stranger");

        Assert.DoesNotContain(other.Id, Ids(page));
        Assert.Empty(Ids(page));
    }

    private static List<int> Ids(Page page) =>
        [.. page.Document.QuerySelectorAll("[data-client-id]").Select(r => int.Parse(r.GetAttribute("data-client-id")!))];
}
