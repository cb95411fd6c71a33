using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class BillingJourneys(BrowserFixture browser)
{
    // In the order the portal lists permissions, which is how a user's row describes them.
    private static readonly string[] OrderingPermissions =
        ["View Products & Services", "View & Pay Invoices", "Place New Orders/Upgrades/Cancellations"];

    [Fact]
    public async Task A_colleague_allowed_to_order_places_an_order_the_admin_sees_as_theirs_and_whose_paid_invoice_makes_the_service_active()
    {
        var owner = Person.New("Katherine", "Johnson");
        var colleague = Person.New("Annie", "Easley");
        var product = BrowserFixture.Unique("Managed Hosting");
        var adminEmail = BrowserFixture.UniqueEmail("admin");
        await using var ownerVisitor = await browser.NewVisitorAsync("billing-order-to-service.owner");
        await using var colleagueVisitor = await browser.NewVisitorAsync("billing-order-to-service.colleague");
        await using var admin = await browser.NewVisitorAsync("billing-order-to-service.admin");
        var colleaguePage = colleagueVisitor.Page;
        var page = admin.Page;

        // Side by side: the admin puts a product in the catalogue, the owner registers and invites the colleague
        // with the ordering permissions only, and the colleague registers a login of their own and logs out.
        await Task.WhenAll(
            AdminAddsProductAsync(admin, adminEmail, product),
            OwnerInvitesAsync(ownerVisitor, owner, colleague.Email),
            ColleagueRegistersAsync(colleagueVisitor, colleague));

        var link = await browser.Server.InvitationLinkAsync(colleague.Email, owner.AccountName);
        await colleagueVisitor.AcceptWithLoginAsync(link, owner.AccountName, $"{owner.FirstName} {owner.LastName}", colleague.Email);

        // The colleague, not the owner, orders: the account has no orders yet; choose the product, review, confirm.
        await colleagueVisitor.NavigateAsync("Orders");
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Main)).ToContainTextAsync("No orders yet.");
        await colleaguePage.GetByRole(AriaRole.Link, new() { Name = "Place an order" }).ClickAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Place an Order", Level = 1 })).ToBeVisibleAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Main)).ToContainTextAsync($"For {owner.AccountName}.");
        await colleaguePage.GetByLabel(product, new() { Exact = true }).FillAsync("1");
        await colleaguePage.GetByRole(AriaRole.Button, new() { Name = "Review Order" }).ClickAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Review your order" })).ToBeVisibleAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Row, new() { Name = product })).ToContainTextAsync("49.00");
        await Expect(colleaguePage.GetByRole(AriaRole.Row, new() { Name = "Total due today" })).ToContainTextAsync("49.00");
        await colleaguePage.GetByRole(AriaRole.Button, new() { Name = "Confirm Order" }).ClickAsync();
        await Expect(colleaguePage).ToHaveURLAsync(new Regex(@"/orders/\d+$"));
        var orderId = new Uri(colleaguePage.Url).AbsolutePath.Split('/')[^1];
        await Expect(colleaguePage.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Thank you: order #{orderId} was placed.");
        await colleagueVisitor.NavigateAsync("Orders");
        var orderRow = colleaguePage.GetByRole(AriaRole.Row).Filter(new() { HasText = $"#{orderId}" });
        await Expect(orderRow).ToContainTextAsync($"1 × {product}");
        await Expect(orderRow).ToContainTextAsync("Pending");

        // The admin finds the client's unpaid invoice and records the full bank transfer.
        await admin.AdminNavigateAsync("Invoices");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invoices", Level = 1 })).ToBeVisibleAsync();
        var invoiceRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = owner.Company });
        await Expect(invoiceRow).ToContainTextAsync("Unpaid");
        await invoiceRow.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^#\d+$") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex(@"^Invoice #\d+$"), Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Method")).ToHaveValueAsync("Bank transfer");
        await page.GetByLabel("Amount").FillAsync("49.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record Payment" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The payment was recorded.");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Status: Paid");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record Payment" })).ToHaveCountAsync(0);

        // The order says who placed it, is accepted by the payment, and its service is active.
        await page.GetByRole(AriaRole.Link, new() { Name = $"#{orderId}", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Order #{orderId}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"Placed by {colleague.FirstName} {colleague.LastName} ({colleague.Email})");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(new Regex(@"Status\s*Accepted"));
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = product })).ToHaveTextAsync($"{product}: Active");

        // The colleague sees the service Active.
        await colleagueVisitor.NavigateAsync("Services");
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Name = "Services", Level = 1 })).ToBeVisibleAsync();
        await Expect(colleaguePage.GetByRole(AriaRole.Row, new() { Name = product })).ToContainTextAsync("Active");

        await ownerVisitor.AssertNoProblemsAsync();
        await colleagueVisitor.AssertNoProblemsAsync();
        await admin.AssertNoProblemsAsync();
    }

    private async Task AdminAddsProductAsync(Visitor admin, string email, string product)
    {
        var page = admin.Page;
        await browser.Server.CreateAdminAsync(email, BrowserFixture.Password);
        await admin.AdminLoginAsync(email);
        await admin.AdminNavigateAsync("Products");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add Product" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add Product", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync(product);
        await page.GetByLabel("Description").FillAsync("A managed server, patched and backed up.");
        await page.GetByLabel("Price").FillAsync("39.00");
        await page.GetByLabel("Setup fee").FillAsync("10.00");
        await page.GetByLabel("Billing cycle").SelectOptionAsync("Monthly");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Product" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Product {product} added.");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = product })).ToContainTextAsync("Visible");
    }

    private static async Task OwnerInvitesAsync(Visitor visitor, Person owner, string email)
    {
        await visitor.RegisterAsync(owner);
        await visitor.InviteAsync(email, OrderingPermissions);
    }

    private static async Task ColleagueRegistersAsync(Visitor visitor, Person colleague)
    {
        await visitor.RegisterAsync(colleague);
        await visitor.LogoutAsync(colleague.FirstName);
    }
}
