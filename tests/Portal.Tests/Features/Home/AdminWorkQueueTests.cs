using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Features.Support;
using Portal.Tests.Features.Billing;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Home;

/// <summary>
/// The admin sees what waits for them — tickets awaiting a reply, pending orders, overdue invoices — counted on the
/// admin home and beside the menu items, each count leading to a list of exactly those.
/// </summary>
[Collection(HomeCollection.Name)]
public sealed class AdminWorkQueueTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task Each_queue_is_counted_on_the_home_and_in_the_menu_and_its_link_lists_exactly_those()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var before = Counts(await admin.GetAsync("/admin"));

        var (owner, client) = await portal.CreateOwnerAsync("Queue Watchers Ltd");
        var product = await slice.ProductAsync(price: 20m, setupFee: 0m);
        var pending = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)));
        var overdue = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2)));
        var now = portal.Factory.Time.GetUtcNow();
        await portal.WithDbAsync(db => db.Invoices.Where(i => i.Id == overdue.Invoice!.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.DueAt, now.AddDays(-3))));
        await portal.WithDbAsync(db => db.Invoices.Where(i => i.Id == pending.Invoice!.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.DueAt, now.AddDays(10))));
        var fresh = await portal.TicketAsync(client.Id, owner.AsSender(), subject: "Queue: brand new question");
        var answered = await portal.TicketAsync(client.Id, owner.AsSender(), subject: "Queue: answered already");
        var reply = await admin.SubmitAsync($"/admin/tickets/{answered.Id}", new() { ["Input.Message"] = "Done." }, "form[data-answer]");
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);

        var home = await admin.GetAsync("/admin");
        var after = Counts(home);
        // Two orders pending, one invoice overdue (the other is not due yet), one ticket waiting (the other was answered).
        Assert.Equal(before.Tickets + 1, after.Tickets);
        Assert.Equal(before.Orders + 2, after.Orders);
        Assert.Equal(before.Invoices + 1, after.Invoices);
        Assert.Equal(after.Tickets.ToString(), MenuCount(home, "/admin/tickets"));
        Assert.Equal(after.Orders.ToString(), MenuCount(home, "/admin/orders"));
        Assert.Equal(after.Invoices.ToString(), MenuCount(home, "/admin/invoices"));

        var tickets = await admin.GetAsync(home.Document.QuerySelector("a[data-queue=tickets]")!.GetAttribute("href")!);
        Assert.Contains("Queue: brand new question", tickets.Text);
        Assert.DoesNotContain("Queue: answered already", tickets.Text);
        Assert.All(tickets.Document.QuerySelectorAll("[data-status]"), s => Assert.Contains(s.TextContent.Trim(), new[] { "Open", "Customer-Reply" }));

        var invoices = await admin.GetAsync(home.Document.QuerySelector("a[data-queue=invoices]")!.GetAttribute("href")!);
        Assert.Contains($"#{overdue.Invoice!.Number}", invoices.Text);
        Assert.DoesNotContain($">#{pending.Invoice!.Number}<", invoices.Document.Body!.InnerHtml);
        Assert.True(invoices.Document.QuerySelector("#overdue")!.HasAttribute("checked"));

        var orders = await admin.GetAsync(home.Document.QuerySelector("a[data-queue=orders]")!.GetAttribute("href")!);
        Assert.Contains($"#{pending.Id}", orders.Text);
        Assert.Contains($"#{overdue.Id}", orders.Text);
    }

    private static (int Tickets, int Orders, int Invoices) Counts(Page home) => (
        int.Parse(home.Document.QuerySelector("[data-queue=tickets] [data-count]")!.TextContent),
        int.Parse(home.Document.QuerySelector("[data-queue=orders] [data-count]")!.TextContent),
        int.Parse(home.Document.QuerySelector("[data-queue=invoices] [data-count]")!.TextContent));

    private static string MenuCount(Page page, string href) =>
        page.Document.QuerySelector($"nav[aria-label=Admin] a[href='{href}'] [data-queue-count]")?.ChildNodes[0].TextContent ?? "0";
}
