using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Tests.Features.Billing;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

/// <summary>Links into another of the user's accounts (SPEC §4): "This belongs to B. Continue as B?".</summary>
[Collection(MembershipCollection.Name)]
public sealed class ContinueAsTests(PortalFixture portal)
{
    /// <summary>A user working in their own account A, who is also a member of B with <paramref name="inB"/>.</summary>
    private async Task<(User User, Client A, Client B, Browser Browser)> WorkingInAAsync(params Permission[] inB)
    {
        var user = await portal.CreateUserAsync(firstName: "Cora");
        var a = await portal.CreateClientAsync(user.Id, "Home Base Co");
        var (_, b) = await portal.CreateOwnerAsync("Elsewhere Co");
        await portal.AssociateAsync(b.Id, user.Id, inB);
        var browser = await portal.LoginAsync(user.Email!);
        await browser.ChooseAccountAsync(a.Id);
        return (user, a, b, browser);
    }

    private static async Task<string> ActiveAccountAsync(Browser browser) =>
        (await browser.GetAsync("/user/profile")).Document.QuerySelector("[data-active-account]")?.TextContent ?? "(none)";

    [Fact]
    public async Task A_member_of_B_with_the_permission_is_asked_then_switched_by_a_post_and_lands_on_the_ticket()
    {
        var (user, a, b, browser) = await WorkingInAAsync(Permission.Tickets);
        using var session = browser;
        var ticket = await portal.TicketAsync(b.Id, user.AsSender(), "Elsewhere printer");

        var link = await browser.Client.GetAsync($"/tickets/{ticket.Id}");

        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        var question = await browser.FollowAsync(link);
        Assert.Equal(HttpStatusCode.OK, question.Status);
        Assert.Equal($"This belongs to {b.DisplayName}, another of your accounts, while you are working in {a.DisplayName}.",
            Regex.Replace(question.Document.QuerySelector("[data-belongs-to]")!.TextContent, @"\s+", " ").Trim());
        Assert.DoesNotContain("Elsewhere printer", question.Text);
        Assert.Equal(a.DisplayName, await ActiveAccountAsync(browser));

        var confirmed = await browser.SubmitAsync(question, [], "form[data-continue-as]");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal($"/tickets/{ticket.Id}", confirmed.Headers.Location!.PathAndQuery());
        var landed = await browser.FollowAsync(confirmed);
        Assert.Equal(HttpStatusCode.OK, landed.Status);
        Assert.Contains("Elsewhere printer", landed.Text);
        Assert.Equal(b.DisplayName, landed.Document.QuerySelector("[data-active-account]")!.TextContent);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.ClientId == b.Id && e.Description.StartsWith("Switched to account"))));
    }

    [Fact]
    public async Task An_emailed_invoice_link_of_another_account_asks_and_then_shows_the_invoice()
    {
        var (user, _, b, browser) = await WorkingInAAsync(Permission.Invoices, Permission.Orders);
        using var session = browser;
        var product = Product.Create(new ProductDetails("Linked Plan", "", 15m, 0m, BillingCycle.Monthly, false), portal.Factory.Time.GetUtcNow());
        await portal.WithDbAsync(async db =>
        {
            db.Products.Add(product);
            await db.SaveChangesAsync();
        });
        var orderId = await portal.PlaceOrderAsync(b.Id, user.Id, (product, 1));
        var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == b.Id && m.To == user.Email && m.Kind == "OrderPlaced").Select(m => m.TextBody).SingleAsync());
        var invoiceId = await portal.WithDbAsync(db => db.Invoices.Where(i => i.OrderId == orderId).Select(i => i.Id).SingleAsync());
        var link = Regex.Match(mail, @"https?://\S+/invoices/\d+").Value;
        Assert.EndsWith($"/invoices/{invoiceId}", link);

        var question = await browser.GetFollowingAsync(new Uri(link).PathAndQuery);
        Assert.StartsWith("/user/continue", question.Url);
        var confirmed = await browser.SubmitAsync(question, [], "form[data-continue-as]");
        var invoice = await browser.FollowAsync(confirmed);

        Assert.Equal(HttpStatusCode.OK, invoice.Status);
        Assert.EndsWith($"/invoices/{invoiceId}", invoice.Url);
        Assert.Equal(b.DisplayName, invoice.Document.QuerySelector("[data-active-account]")!.TextContent);
    }

    [Fact]
    public async Task A_member_of_B_without_the_permission_gets_the_permissions_page_about_B_and_stays_in_A()
    {
        var (user, a, b, browser) = await WorkingInAAsync(Permission.Invoices);
        using var session = browser;
        var ticket = await portal.TicketAsync(b.Id, user.AsSender(), "Not for you");

        var page = await browser.GetAsync($"/tickets/{ticket.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("You do not have the required permissions to access this page", page.Text);
        Assert.Contains($"View & Open Support Tickets in {b.DisplayName}", Regex.Replace(page.Document.QuerySelector("[data-forbidden]")!.TextContent, @"\s+", " "));
        Assert.Equal(["View & Pay Invoices"], page.Document.QuerySelectorAll("[data-held-permissions] li").Select(li => li.TextContent.Trim()));
        Assert.DoesNotContain("Not for you", page.Text);
        Assert.Equal(a.DisplayName, await ActiveAccountAsync(browser));
    }

    [Fact]
    public async Task A_non_member_gets_the_neutral_404_and_learns_nothing_of_the_other_account()
    {
        var (_, _, _, browser) = await WorkingInAAsync(Permission.Tickets);
        using var session = browser;
        var (stranger, c) = await portal.CreateOwnerAsync("Stranger Things Co");
        var ticket = await portal.TicketAsync(c.Id, stranger.AsSender(), "Secret subject");

        var page = await browser.GetAsync($"/tickets/{ticket.Id}");
        var missing = await browser.GetAsync("/tickets/99999999");
        var asked = await browser.GetAsync($"/user/continue?clientId={c.Id}&returnUrl=/tickets/{ticket.Id}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(missing.Document.QuerySelector("main")!.TextContent.Replace(missing.Document.QuerySelector("[data-request-id]")!.TextContent, ""),
            page.Document.QuerySelector("main")!.TextContent.Replace(page.Document.QuerySelector("[data-request-id]")!.TextContent, ""));
        Assert.DoesNotContain("Stranger Things", page.Text);
        Assert.DoesNotContain("Secret subject", page.Text);
        Assert.Equal(HttpStatusCode.NotFound, asked.Status);
        Assert.DoesNotContain("Stranger Things", asked.Text);
    }

    [Fact]
    public async Task A_get_never_switches_and_the_confirmation_needs_its_antiforgery_token()
    {
        var (user, a, b, browser) = await WorkingInAAsync(Permission.Tickets);
        using var session = browser;
        var ticket = await portal.TicketAsync(b.Id, user.AsSender());
        var url = $"/user/continue?clientId={b.Id}&returnUrl=/tickets/{ticket.Id}";

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url)).Status);
        Assert.Equal(a.DisplayName, await ActiveAccountAsync(browser));

        var forged = await browser.PostAsync(url, [new("ClientId", b.Id.ToString()), new("ReturnUrl", $"/tickets/{ticket.Id}")]);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(a.DisplayName, await ActiveAccountAsync(browser));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync($"/tickets/{ticket.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_closed_account_is_not_offered_and_an_outside_return_url_stays_on_site()
    {
        var (user, _, b, browser) = await WorkingInAAsync(Permission.Tickets);
        using var session = browser;
        var ticket = await portal.TicketAsync(b.Id, user.AsSender());
        var question = await browser.GetAsync($"/user/continue?clientId={b.Id}&returnUrl=//evil.example/x");
        var confirmed = await browser.SubmitAsync(question, [], "form[data-continue-as]");
        Assert.Equal("/dashboard", confirmed.Headers.Location!.PathAndQuery());

        var (_, closedOwnerClient) = await portal.CreateOwnerAsync("Shut Co");
        await portal.AssociateAsync(closedOwnerClient.Id, user.Id, Permission.Tickets);
        var closedTicket = await portal.TicketAsync(closedOwnerClient.Id, user.AsSender());
        await portal.WithDbAsync(async db =>
        {
            var client = await db.Clients.SingleAsync(c => c.Id == closedOwnerClient.Id);
            client.ChangeStatus(ClientStatus.Closed, portal.Factory.Time.GetUtcNow());
            await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/tickets/{closedTicket.Id}")).Status);
        _ = ticket;
    }
}
