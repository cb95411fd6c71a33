using System.Net;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class PlaceOrderTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task A_user_with_orders_places_an_order_that_is_theirs_with_an_unpaid_invoice_pending_services_a_mail_and_a_log_entry()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Ordering Member Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("orderer"), "Orla", "Orderer");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Orders, Permission.Invoices);
        var product = await slice.ProductAsync(price: 20m, setupFee: 5m);
        using var browser = await portal.LoginAsync(member.Email!);

        var choose = await browser.GetAsync("/orders/new");
        var row = choose.Document.QuerySelectorAll("[data-product-id]").Single(r => r.GetAttribute("data-product-id") == product.Id.ToString());
        var quantityField = row.QuerySelector("input[type=number]")!.GetAttribute("name")!;
        var review = await Page.ReadAsync(await browser.SubmitAsync(choose, new() { [quantityField] = "2", ["Input.Lines[0].UnitPrice"] = "0.01", ["Price"] = "0" }, "form[data-choose-products]"));
        Assert.Equal("50.00 USD", review.Document.QuerySelector("[data-total]")!.TextContent.Trim());
        var placed = await browser.SubmitAsync(review, new() { ["Input.Total"] = "0.01" }, "form[data-confirm-order]");

        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        var orderPage = await browser.FollowAsync(placed);
        Assert.Contains($"Orla Orderer ({member.Email})", orderPage.Document.QuerySelector("[data-order-user]")!.TextContent);
        var order = await portal.WithDbAsync(db => db.Orders.Include(o => o.Services).Include(o => o.Invoice!).ThenInclude(i => i.Lines).SingleAsync(o => o.ClientId == client.Id));
        Assert.Equal(member.Id, order.UserId);
        Assert.NotEqual(owner.Id, order.UserId);
        Assert.Null(order.CreatedByAdminId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal((InvoiceStatus.Unpaid, 50m), (order.Invoice!.Status, order.Invoice.Total));
        // The product and its setup fee, each its own line.
        Assert.Equal(
            [($"{product.Name} (Monthly)", 2, 20m, 40m), ($"Setup fee: {product.Name}", 2, 5m, 10m)],
            order.Invoice.Lines.OrderBy(l => l.Id).Select(l => (l.Description, l.Quantity, l.UnitPrice, l.Amount)));
        Assert.Equal(2, order.Services.Count);
        Assert.All(order.Services, s => Assert.Equal(ServiceStatus.Pending, s.Status));
        var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id && m.Kind == "OrderPlaced").SingleAsync());
        Assert.Equal((member.Email, $"Order #{order.Id} confirmation"), (mail.To, mail.Subject));
        var invoiceMail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id && m.Kind == "InvoiceCreated").SingleAsync());
        Assert.Equal(owner.Email, invoiceMail.To);
        var entry = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id && e.Description.StartsWith($"Order #{order.Id} placed")).SingleAsync());
        Assert.Equal(member.Id, entry.UserId);
        Assert.Contains($"by Orla Orderer ({member.Email}) for Ordering Member Co", entry.Description);
    }

    [Fact]
    public async Task A_free_products_invoice_is_paid_on_creation_and_its_services_start_with_their_logins()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Free Trial Co");
        var product = await slice.ProductAsync(price: 0m, setupFee: 0m);

        var order = await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2)));

        Assert.Equal((InvoiceStatus.Paid, 0m), (order.Invoice!.Status, order.Invoice.Total));
        Assert.NotNull(order.Invoice.PaidAt);
        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.All(order.Services, s =>
        {
            Assert.Equal(ServiceStatus.Active, s.Status);
            Assert.Equal($"svc{s.Id}", s.Username);
            Assert.NotNull(s.PasswordProtected);
        });
        var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id && m.Subject == $"Order #{order.Id} confirmation").SingleAsync());
        Assert.Contains("there is nothing to pay", mail.TextBody);
        Assert.Equal(2, (await slice.ActivityForAsync(client.Id)).Count(d => d.StartsWith($"Service {product.Name} of order #{order.Id} activated")));
    }

    [Fact]
    public async Task A_price_changed_between_review_and_confirm_goes_back_to_review_and_is_charged_only_once_shown()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Price Change Co");
        var product = await slice.ProductAsync(price: 20m, setupFee: 5m);
        using var browser = await portal.LoginAsync(owner.Email!);
        var choose = await browser.GetAsync("/orders/new");
        var row = choose.Document.QuerySelectorAll("[data-product-id]").Single(r => r.GetAttribute("data-product-id") == product.Id.ToString());
        var review = await Page.ReadAsync(await browser.SubmitAsync(choose, new() { [row.QuerySelector("input[type=number]")!.GetAttribute("name")!] = "1" }, "form[data-choose-products]"));
        Assert.Equal("25.00 USD", review.Document.QuerySelector("[data-total]")!.TextContent.Trim());
        await portal.WithDbAsync(async db =>
        {
            var stored = await db.Products.SingleAsync(p => p.Id == product.Id);
            stored.Update(new ProductDetails(stored.Name, stored.Description, 80m, 5m, stored.Cycle, false));
            await db.SaveChangesAsync();
        });

        var again = await Page.ReadAsync(await browser.SubmitAsync(review, [], "form[data-confirm-order]"));

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.NotNull(again.Document.QuerySelector("[data-review-again]"));
        Assert.Equal("85.00 USD", again.Document.QuerySelector("[data-total]")!.TextContent.Trim());
        Assert.False(await portal.WithDbAsync(db => db.Orders.AnyAsync(o => o.ClientId == client.Id)));

        var placed = await browser.SubmitAsync(again, [], "form[data-confirm-order]");

        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        Assert.Equal(85m, await portal.WithDbAsync(db => db.Invoices.Where(i => i.ClientId == client.Id).Select(i => i.Total).SingleAsync()));
    }

    [Fact]
    public async Task Confirmed_lines_that_differ_from_the_review_go_back_to_review()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Altered Lines Co");
        var product = await slice.ProductAsync(price: 20m, setupFee: 0m);
        var other = await slice.ProductAsync(price: 1m, setupFee: 0m);
        var review = await slice.SendAsync(new PlaceOrder.Review { ClientId = client.Id, UserId = owner.Id, Lines = [new OrderLine { ProductId = product.Id, Quantity = 1 }] });

        var altered = new PlaceOrder.Command
        {
            ClientId = client.Id, UserId = owner.Id, IdempotencyKey = review.IdempotencyKey,
            Lines = [new OrderLine { ProductId = product.Id, Quantity = 3 }, new OrderLine { ProductId = other.Id, Quantity = 1 }],
        };
        var placed = await slice.SendAsync(altered);

        Assert.Null(placed.OrderId);
        Assert.Equal(61m, placed.ReviewAgain!.Total);
        Assert.NotEqual(review.IdempotencyKey, placed.ReviewAgain.IdempotencyKey);
        Assert.False(await slice.ExecuteDbContextAsync(db => db.Orders.AnyAsync(o => o.ClientId == client.Id)));
    }

    [Fact]
    public async Task A_review_confirms_only_for_its_own_account_and_user_and_an_unreviewed_key_is_refused()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Own Review Co");
        var (stranger, strangersClient) = await slice.CreateOwnerAsync("Stranger Co");
        var product = await slice.ProductAsync();
        var review = await slice.SendAsync(new PlaceOrder.Review { ClientId = client.Id, UserId = owner.Id, Lines = [new OrderLine { ProductId = product.Id, Quantity = 1 }] });

        foreach (var command in new[]
        {
            review.Confirmation(strangersClient.Id, stranger.Id),
            review.Confirmation(client.Id, null),
            new PlaceOrder.Command { ClientId = client.Id, UserId = owner.Id, IdempotencyKey = Portal.Infrastructure.Auth.Tokens.New(), Lines = [new OrderLine { ProductId = product.Id, Quantity = 1 }] },
        })
        {
            var refused = await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(command));
            Assert.Contains(refused.Errors, e => e.ErrorMessage == PlaceOrder.ReviewAgain);
        }

        Assert.False(await slice.ExecuteDbContextAsync(db => db.Orders.AnyAsync(o => o.ClientId == client.Id || o.ClientId == strangersClient.Id)));
    }

    [Fact]
    public async Task Prices_come_from_the_catalogue_whatever_the_form_says()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Price Tamper Co");
        var product = await slice.ProductAsync(price: 100m, setupFee: 0m);

        var id = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));

        Assert.Equal(100m, (await slice.OrderAsync(id)).Invoice!.Total);
    }

    [Theory]
    [InlineData(0, PlaceOrder.ReviewAgain, "")]
    [InlineData(-1, "Quantity must be between 0 and 50.", "Lines[0].Quantity")]
    [InlineData(51, "Quantity must be between 0 and 50.", "Lines[0].Quantity")]
    [InlineData(1_000_000, "Quantity must be between 0 and 50.", "Lines[0].Quantity")]
    public async Task Quantities_outside_the_limits_are_field_errors_and_write_nothing(int quantity, string message, string field)
    {
        var (owner, client) = await slice.CreateOwnerAsync("Quantity Co");
        var product = await slice.ProductAsync();

        var refused = await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(new PlaceOrder.Command
        {
            ClientId = client.Id, UserId = owner.Id, IdempotencyKey = quantity == 0 ? "" : Portal.Infrastructure.Auth.Tokens.New(),
            Lines = [new OrderLine { ProductId = product.Id, Quantity = quantity }],
        }));

        Assert.Contains(refused.Errors, e => e.ErrorMessage == (quantity == 0 ? OrderLineRules.ChooseOne : message) && (quantity == 0 || e.PropertyName == field));
        Assert.False(await slice.ExecuteDbContextAsync(db => db.Orders.AnyAsync(o => o.ClientId == client.Id)));
    }

    [Fact]
    public async Task Unknown_and_hidden_products_are_field_errors_and_write_nothing()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Hidden Product Co");
        var hidden = await slice.ProductAsync(hidden: true);

        foreach (var productId in new[] { hidden.Id, 987654, -3 })
        {
            var refused = await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(new PlaceOrder.Command
            {
                ClientId = client.Id, UserId = owner.Id, IdempotencyKey = Portal.Infrastructure.Auth.Tokens.New(),
                Lines = [new OrderLine { ProductId = productId, Quantity = 1 }],
            }));
            Assert.Contains(refused.Errors, e => e.PropertyName == "Lines[0].ProductId" && e.ErrorMessage == OrderLineRules.NotAvailable);
        }

        Assert.False(await slice.ExecuteDbContextAsync(db => db.Orders.AnyAsync(o => o.ClientId == client.Id)));
    }

    [Fact]
    public async Task A_huge_quantity_on_the_page_is_a_field_error_not_a_500()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Huge Quantity Co");
        var product = await slice.ProductAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var choose = await browser.GetAsync("/orders/new");
        var row = choose.Document.QuerySelectorAll("[data-product-id]").Single(r => r.GetAttribute("data-product-id") == product.Id.ToString());
        var quantityField = row.QuerySelector("input[type=number]")!.GetAttribute("name")!;

        var page = await Page.ReadAsync(await browser.SubmitAsync(choose, new() { [quantityField] = "99999999999999999999" }, "form[data-choose-products]"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("[data-form-errors]"));
        Assert.Null(page.Document.QuerySelector("[data-review]"));
    }

    [Fact]
    public async Task Reviewing_with_no_product_chosen_highlights_the_quantities_the_summary_points_to()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Nothing Chosen Co");
        await slice.ProductAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var choose = await browser.GetAsync("/orders/new");

        var page = await Page.ReadAsync(await browser.SubmitAsync(choose, new(), "form[data-choose-products]"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("correct the highlighted fields", page.Document.QuerySelector("[data-form-errors]")!.TextContent);
        var linesError = page.Document.QuerySelector("[data-valmsg-for='Input.Lines']")!;
        Assert.False(string.IsNullOrWhiteSpace(linesError.TextContent));
        var quantities = page.Document.QuerySelectorAll("[data-choose-products] input[type=number]");
        Assert.NotEmpty(quantities);
        Assert.All(quantities, q =>
        {
            Assert.Contains("is-invalid", q.ClassList);
            Assert.Contains("form-control", q.ClassList);
            Assert.Equal("true", q.GetAttribute("aria-invalid"));
            Assert.Contains(linesError.Id!, q.GetAttribute("aria-describedby")!.Split(' '));
        });
    }

    [Fact]
    public async Task Two_tabs_confirming_the_same_review_give_one_order()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Two Tabs Co");
        var product = await slice.ProductAsync();
        var review = await slice.SendAsync(new PlaceOrder.Review { ClientId = client.Id, UserId = owner.Id, Lines = [new OrderLine { ProductId = product.Id, Quantity = 1 }] });
        var command = review.Confirmation(client.Id, owner.Id);

        var ids = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => slice.SendAsync(command)));

        Assert.NotNull(ids[0].OrderId);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(1, await slice.ExecuteDbContextAsync(db => db.Orders.CountAsync(o => o.ClientId == client.Id)));
        Assert.Equal(1, await slice.ExecuteDbContextAsync(db => db.Invoices.CountAsync(i => i.ClientId == client.Id)));
    }

    [Fact]
    public async Task Twenty_orders_at_once_get_invoice_numbers_without_gaps_or_repeats()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Rush Hour Co");
        var product = await slice.ProductAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1))));

        var numbers = await slice.ExecuteDbContextAsync(db => db.Invoices.Where(i => i.ClientId == client.Id).OrderBy(i => i.Number).Select(i => i.Number).ToListAsync());
        Assert.Equal(20, numbers.Count);
        Assert.Equal(Enumerable.Range(numbers[0], 20), numbers);
    }

    [Fact]
    public async Task Without_orders_the_page_shows_the_required_permissions_and_a_post_writes_nothing()
    {
        var (_, client) = await portal.CreateOwnerAsync("No Orders Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var product = await slice.ProductAsync();
        using var browser = await portal.LoginAsync(member.Email!);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/orders/new")).Status);
        var token = await browser.AntiforgeryTokenAsync("/user/accounts");
        var confirm = await browser.PostAsync("/orders/new?handler=Confirm", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Lines[0].ProductId"] = product.Id.ToString(), ["Input.Lines[0].Quantity"] = "1", ["Input.IdempotencyKey"] = Portal.Infrastructure.Auth.Tokens.New(),
        });

        Assert.Equal(HttpStatusCode.Forbidden, confirm.StatusCode);
        Assert.False(await portal.WithDbAsync(db => db.Orders.AnyAsync(o => o.ClientId == client.Id)));
    }
}
