using Portal.Infrastructure.Web;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Tests.Features.Billing;

namespace Portal.Tests.Features.Shared;

/// <summary>
/// The client area's lists that grow without bound (invoices, services, tickets) page Newer/Older from the last row
/// shown: walking every page shows each row exactly once, newest first, even while new rows arrive.
/// </summary>
[Collection(SharedCollection.Name)]
public sealed class ListPagingTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private const int Rows = Paging.DefaultPageSize + 2;

    [Fact]
    public async Task Invoices_and_services_are_walked_page_by_page_each_exactly_once_newest_first()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var product = await slice.ProductAsync();
        for (var i = 0; i < Rows; i++)
        {
            await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        }

        using var browser = await portal.LoginAsync(owner.Email!);

        var invoices = await WalkAsync(browser, "/invoices", "data-invoice-id");
        var services = await WalkAsync(browser, "/services", "data-service-id");

        Assert.Equal(Rows, invoices.Count);
        Assert.Equal(invoices.OrderByDescending(id => id), invoices);
        Assert.Equal(Rows, services.Count);
        Assert.Equal(services.OrderByDescending(id => id), services);
    }

    [Fact]
    public async Task A_ticket_opened_while_someone_pages_does_not_push_another_onto_the_next_page_twice()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var opened = new List<int>();
        for (var i = 0; i < Rows; i++)
        {
            portal.Factory.Time.Advance(TimeSpan.FromMinutes(1));
            opened.Add((await portal.TicketAsync(client.Id, owner.AsSender(), $"Question {i}")).Id);
        }

        using var browser = await portal.LoginAsync(owner.Email!);
        var first = await browser.GetAsync("/tickets");
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(1));
        var late = (await portal.TicketAsync(client.Id, owner.AsSender(), "Arrived while paging")).Id;
        var second = await browser.GetAsync(first.Document.QuerySelector("nav a[rel=next]")!.GetAttribute("href")!);

        var seen = Ids(first, "data-ticket-id").Concat(Ids(second, "data-ticket-id")).ToList();
        Assert.Equal(Enumerable.Reverse(opened), seen);
        Assert.DoesNotContain(late, seen);
        Assert.Equal(late, Ids(await browser.GetAsync("/tickets"), "data-ticket-id")[0]);
    }

    private static async Task<List<int>> WalkAsync(Browser browser, string url, string attribute)
    {
        var ids = new List<int>();
        for (var page = await browser.GetAsync(url); ; )
        {
            ids.AddRange(Ids(page, attribute));
            if (page.Document.QuerySelector("nav a[rel=next]")?.GetAttribute("href") is not { } older)
            {
                return ids;
            }

            page = await browser.GetAsync(older);
        }
    }

    private static List<int> Ids(Page page, string attribute) =>
        [.. page.Document.QuerySelectorAll($"[{attribute}]").Select(r => int.Parse(r.GetAttribute(attribute)!))];
}
