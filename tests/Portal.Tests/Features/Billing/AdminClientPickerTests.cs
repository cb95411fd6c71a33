using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Billing;

/// <summary>
/// The "Client" box of the admin's order form and of the order, invoice and ticket lists: a name, company, e-mail or
/// number that the server resolves to one client, offers a choice when several match, and refuses with a message.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class AdminClientPickerTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static readonly string[] Lists = ["/admin/orders", "/admin/invoices", "/admin/tickets"];

    [Fact]
    public async Task Each_list_labels_its_box_Client_and_a_name_matching_one_client_filters_the_list_to_that_client()
    {
        var world = await WorldAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        foreach (var list in Lists)
        {
            var page = await admin.GetAsync($"{list}?client={world.Surname}+{world.Lone.Company}");

            var box = ClientBox(page);
            Assert.Equal("Client", page.Document.QuerySelector($"label[for='{box.Id}']")!.TextContent.Trim());
            Assert.Null(ProblemOf(page));
            Assert.Contains(world.Lone.Company, box.Value);
            Assert.NotNull(page.Document.QuerySelector(world.RowOf(list, world.Lone)));
            Assert.Null(page.Document.QuerySelector(world.RowOf(list, world.First)));
            Assert.Null(page.Document.QuerySelector(world.RowOf(list, world.Second)));
        }
    }

    [Fact]
    public async Task Several_matches_offer_a_choice_that_tells_same_named_clients_apart_and_filter_nothing_until_one_is_picked()
    {
        var world = await WorldAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        foreach (var list in Lists)
        {
            var page = await admin.GetAsync($"{list}?client={world.Twin}");

            Assert.Contains("clients match", ProblemOf(page));
            var choices = page.Document.QuerySelectorAll("[data-client-choice]").Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal(2, choices.Count);
            Assert.Contains(choices, c => c.Contains(world.First.Company) && c.Contains(world.First.Email));
            Assert.Contains(choices, c => c.Contains(world.Second.Company) && c.Contains(world.Second.Email));
            Assert.Empty(page.Document.QuerySelectorAll("[data-client-choices] input:checked"));
            Assert.NotNull(page.Document.QuerySelector(world.RowOf(list, world.First)));
            Assert.NotNull(page.Document.QuerySelector(world.RowOf(list, world.Second)));

            // The browser sends the picked radio button before the box, both under the field's name.
            var picked = page.Document.QuerySelector<IHtmlInputElement>($"[data-client-choice='{world.Second.Id}'] input")!;
            var chosen = await admin.GetAsync($"{list}?client={Uri.EscapeDataString(picked.Value)}&client={Uri.EscapeDataString(ClientBox(page).Value)}");
            Assert.Null(ProblemOf(chosen));
            Assert.Contains(world.Second.Company, ClientBox(chosen).Value);
            Assert.NotNull(chosen.Document.QuerySelector(world.RowOf(list, world.Second)));
            Assert.Null(chosen.Document.QuerySelector(world.RowOf(list, world.First)));
        }
    }

    [Fact]
    public async Task A_client_number_link_still_filters_and_shows_the_name_and_the_shown_name_filters_again()
    {
        var world = await WorldAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        foreach (var list in Lists)
        {
            var page = await admin.GetAsync($"{list}?client={world.First.Id}");

            Assert.Contains(world.First.Company, ClientBox(page).Value);
            Assert.NotNull(page.Document.QuerySelector(world.RowOf(list, world.First)));
            Assert.Null(page.Document.QuerySelector(world.RowOf(list, world.Second)));
            var again = await admin.GetAsync($"{list}?client={Uri.EscapeDataString(ClientBox(page).Value)}");
            Assert.NotNull(again.Document.QuerySelector(world.RowOf(list, world.First)));
            Assert.Null(again.Document.QuerySelector(world.RowOf(list, world.Second)));
        }
    }

    [Theory]
    [InlineData("999999999", "There is no client #999999999.")]
    [InlineData("99999999999999999999", "There is no client #99999999999999999999.")]
    [InlineData("zz-no-such-client-qx", "No client matches \"zz-no-such-client-qx\"")]
    public async Task An_unknown_number_or_a_name_matching_nobody_answers_with_a_message(string typed, string message)
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        foreach (var list in Lists)
        {
            var page = await admin.GetAsync($"{list}?client={Uri.EscapeDataString(typed)}");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(message, ProblemOf(page));
            Assert.Equal(typed, ClientBox(page).Value);
        }
    }

    [Fact]
    public async Task The_order_form_places_the_order_for_the_one_client_a_name_matches()
    {
        var world = await WorldAsync();
        var product = await slice.ProductAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync("/admin/orders/new");
        var box = ClientBox(form);
        Assert.Equal("Client", form.Document.QuerySelector($"label[for='{box.Id}']")!.TextContent.Trim());

        var review = await Page.ReadAsync(await admin.SubmitAsync(form, new() { [box.Name!] = world.Lone.Email, [QuantityField(form, product)] = "1" }, "form[data-create-order]"));
        Assert.Contains(world.Lone.Company, review.Document.QuerySelector("[data-review-client]")!.TextContent);
        var created = await admin.SubmitAsync(review, [], "form[data-confirm-order]");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(2, await portal.WithDbAsync(db => db.Orders.CountAsync(o => o.ClientId == world.Lone.Id)));
    }

    [Fact]
    public async Task The_order_form_offers_a_choice_when_several_match_and_keeps_the_quantities_until_one_is_picked()
    {
        var world = await WorldAsync();
        var product = await slice.ProductAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync("/admin/orders/new");

        var ambiguous = await Page.ReadAsync(await admin.SubmitAsync(form, new() { ["client"] = world.Twin, [QuantityField(form, product)] = "2" }, "form[data-create-order]"));
        Assert.Equal(HttpStatusCode.OK, ambiguous.Status);
        Assert.Contains("clients match", ProblemOf(ambiguous));
        Assert.NotNull(ambiguous.Document.QuerySelector("[data-form-errors]"));
        Assert.Null(ambiguous.Document.QuerySelector("form[data-confirm-order]"));
        Assert.Equal("2", ambiguous.Document.QuerySelector<IHtmlInputElement>($"input[name='{QuantityField(ambiguous, product)}']")!.Value);

        ambiguous.Document.QuerySelector<IHtmlInputElement>($"[data-client-choice='{world.First.Id}'] input")!.IsChecked = true;
        var review = await Page.ReadAsync(await admin.SubmitAsync(ambiguous, [], "form[data-create-order]"));
        Assert.Contains(world.First.Email, review.Document.QuerySelector("[data-review-client]")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(review, [], "form[data-confirm-order]")).StatusCode);
        Assert.Equal(2, await portal.WithDbAsync(db => db.Orders.CountAsync(o => o.ClientId == world.First.Id)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.Orders.CountAsync(o => o.ClientId == world.Second.Id)));
    }

    [Theory]
    [InlineData("zz-nobody-qx", "No client matches")]
    [InlineData("999999999", "There is no client #999999999.")]
    [InlineData("", "Type the client's name")]
    public async Task The_order_form_refuses_a_client_it_cannot_find_and_places_nothing(string typed, string message)
    {
        var product = await slice.ProductAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync("/admin/orders/new");
        var before = await portal.WithDbAsync(db => db.Orders.CountAsync());

        var answer = await Page.ReadAsync(await admin.SubmitAsync(form, new() { ["client"] = typed, [QuantityField(form, product)] = "1" }, "form[data-create-order]"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains(message, ProblemOf(answer));
        Assert.Null(answer.Document.QuerySelector("form[data-confirm-order]"));
        Assert.Equal(before, await portal.WithDbAsync(db => db.Orders.CountAsync()));
    }

    [Fact]
    public async Task An_unknown_client_number_in_the_order_link_answers_with_a_message()
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync("/admin/orders/new?client=999999999");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("There is no client #999999999.", ProblemOf(page));
    }

    [Fact]
    public async Task A_ticket_is_assigned_by_a_name_several_matches_offer_a_choice_and_nobody_matching_changes_nothing()
    {
        var world = await WorldAsync();
        var ticket = await portal.TicketAsync(null, new Portal.Features.Support.Sender(PortalFixture.UniqueEmail("stray"), "Stray sender"));
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/tickets/{ticket.Id}";
        var form = await admin.GetAsync(url);
        var box = form.Document.QuerySelector<IHtmlInputElement>("form[data-assign] input[data-client-picker]")!;
        Assert.Equal("Client", form.Document.QuerySelector($"label[for='{box.Id}']")!.TextContent.Trim());

        var nobody = await Page.ReadAsync(await admin.SubmitAsync(form, new() { [box.Name!] = "zz-nobody-qx" }, "form[data-assign]"));
        Assert.Equal(HttpStatusCode.OK, nobody.Status);
        Assert.Contains("No client matches", ProblemOf(nobody));
        var several = await Page.ReadAsync(await admin.SubmitAsync(form, new() { [box.Name!] = world.Twin }, "form[data-assign]"));
        Assert.Contains("clients match", ProblemOf(several));
        Assert.Equal(2, several.Document.QuerySelectorAll("form[data-assign] [data-client-choice]").Length);
        Assert.Null(await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.ClientId).SingleAsync()));

        several.Document.QuerySelector<IHtmlInputElement>($"[data-client-choice='{world.Second.Id}'] input")!.IsChecked = true;
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(several, [], "form[data-assign]")).StatusCode);
        Assert.Equal(world.Second.Id, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.ClientId).SingleAsync()));

        var assigned = await admin.GetAsync(url);
        Assert.Contains(world.Second.Company, assigned.Document.QuerySelector<IHtmlInputElement>("form[data-assign] input[data-client-picker]")!.Value);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(assigned, new() { [box.Name!] = world.Lone.Email }, "form[data-assign]")).StatusCode);
        Assert.Equal(world.Lone.Id, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.ClientId).SingleAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(url, new() { [box.Name!] = "" }, "form[data-assign]")).StatusCode);
        Assert.Null(await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.ClientId).SingleAsync()));
    }

    private static IHtmlInputElement ClientBox(Page page) => page.Document.QuerySelector<IHtmlInputElement>("input[data-client-picker]")!;

    private static string? ProblemOf(Page page) => page.Document.QuerySelector("[data-client-picker] ~ .invalid-feedback")?.TextContent.Trim();

    private static string QuantityField(Page page, Portal.Features.Billing.Product product) =>
        page.Document.QuerySelector($"[data-product-id='{product.Id}'] input[type=number]")!.GetAttribute("name")!;

    private sealed record Customer(int Id, string Company, string Email, int OrderId, int InvoiceId, int TicketId);

    /// <summary>Two clients whose contacts share one name (only company and e-mail tell them apart), and a third.</summary>
    private sealed record World(string Surname, string Twin, Customer First, Customer Second, Customer Lone)
    {
        public string RowOf(string list, Customer customer) => list switch
        {
            "/admin/orders" => $"[data-order-id='{customer.OrderId}']",
            "/admin/invoices" => $"[data-invoice-id='{customer.InvoiceId}']",
            _ => $"[data-ticket-id='{customer.TicketId}']",
        };
    }

    private async Task<World> WorldAsync()
    {
        var surname = "Picker" + Guid.NewGuid().ToString("N")[..8];
        var twin = $"Robin {surname}";
        var product = await slice.ProductAsync();
        return new World(surname, twin,
            await CustomerAsync("Robin", surname, $"North {surname} Ltd"),
            await CustomerAsync("Robin", surname, $"South {surname} Ltd"),
            await CustomerAsync("Alex", surname, $"Lone{surname} GmbH"));

        async Task<Customer> CustomerAsync(string first, string last, string company)
        {
            var owner = await portal.CreateUserAsync(PortalFixture.UniqueEmail("picker"), first, last);
            var client = await portal.CreateClientAsync(owner.Id, company);
            var order = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)));
            var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), $"Picker ticket {company}");
            return new Customer(client.Id, company, owner.Email!, order.Id, order.Invoice!.Id, ticket.Id);
        }
    }
}
