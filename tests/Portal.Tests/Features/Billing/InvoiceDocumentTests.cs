using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Features.Billing;
using Portal.Features.Membership;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Billing;

/// <summary>The invoice as a document: who sells, who is billed, its status stamp, its lines, and how it prints.</summary>
[Collection(BillingCollection.Name)]
public sealed class InvoiceDocumentTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static IEnumerable<string> Texts(Page page, string selector) =>
        page.Document.QuerySelectorAll(selector).Select(e => e.TextContent.Trim());

    private async Task<(Browser Owner, int InvoiceId, int Number)> InvoiceAsync(string company, decimal price = 30m, decimal setupFee = 0m, int quantity = 1)
    {
        var (owner, client) = await portal.CreateOwnerAsync(company);
        var product = await slice.ProductAsync(price: price, setupFee: setupFee);
        var invoice = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, quantity)))).Invoice!;
        return (await portal.LoginAsync(owner.Email!), invoice.Id, invoice.Number);
    }

    [Fact]
    public async Task The_company_details_of_the_settings_are_the_Pay_To_block_of_both_invoice_pages_and_the_invoice_mail_names_the_seller()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var saved = await admin.SubmitAsync("/admin/settings", new()
        {
            ["Input.SellerName"] = "  Harbour Hosting Ltd ",
            ["Input.SellerAddress"] = "12 Quay Street\r\n\r\n  Portsmouth PO1 1AA\r\nUnited Kingdom",
            ["Input.SellerTaxId"] = "GB 123 4567 89",
        });
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var (owner, client) = await portal.CreateOwnerAsync("Seller Reader Co");
            var orderer = await portal.CreateUserAsync();
            await portal.AssociateAsync(client.Id, orderer.Id, Permission.Orders);
            var product = await slice.ProductAsync(price: 30m, setupFee: 0m);

            // Placed by another user, so the owner is mailed the invoice (the orderer has it in the order confirmation).
            var invoice = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, orderer.Id, (product, 1)))).Invoice!;
            using var browser = await portal.LoginAsync(owner.Email!);

            foreach (var page in new[] { await browser.GetAsync($"/invoices/{invoice.Id}"), await admin.GetAsync($"/admin/invoices/{invoice.Id}") })
            {
                Assert.Equal(HttpStatusCode.OK, page.Status);
                var payTo = page.Document.QuerySelector("[data-pay-to]")!;
                Assert.Equal("Pay To", payTo.QuerySelector("h2")!.TextContent.Trim());
                Assert.Equal("Harbour Hosting Ltd", payTo.QuerySelector("[data-seller-name]")!.TextContent.Trim());
                Assert.Equal(["12 Quay Street", "Portsmouth PO1 1AA", "United Kingdom"], Texts(page, "[data-pay-to] [data-seller-address-line]"));
                Assert.Equal("Tax ID: GB 123 4567 89", payTo.QuerySelector("[data-seller-tax-id]")!.TextContent.Trim());
                var invoicedTo = page.Document.QuerySelector("[data-invoiced-to]")!;
                Assert.Equal("Invoiced To", invoicedTo.QuerySelector("h2")!.TextContent.Trim());
                Assert.Equal($"Seller Reader Co ({owner.FirstName} {owner.LastName})", invoicedTo.QuerySelector("[data-client-name]")!.TextContent.Trim());
                Assert.Equal(["1 Road", "Town 12345", "Country"], Texts(page, "[data-invoiced-to] [data-client-address-line]"));
            }

            var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id && m.Kind == "InvoiceCreated" && m.To == owner.Email).SingleAsync());
            Assert.Contains($"Harbour Hosting Ltd issued invoice #{invoice.Number} of 30.00 USD to Seller Reader Co", mail.TextBody);
        }
        finally
        {
            await admin.SubmitAsync("/admin/settings", new() { ["Input.SellerName"] = "", ["Input.SellerAddress"] = "", ["Input.SellerTaxId"] = "" });
        }
    }

    [Fact]
    public async Task Without_company_details_the_invoice_is_payable_to_the_portals_name_and_prints_no_tax_id()
    {
        var companyName = portal.Factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value.CompanyName;
        var (owner, invoiceId, _) = await InvoiceAsync("Plain Seller Co");
        using (owner)
        {
            var page = await owner.GetAsync($"/invoices/{invoiceId}");

            Assert.Equal(companyName, page.Document.QuerySelector("[data-pay-to] [data-seller-name]")!.TextContent.Trim());
            Assert.Empty(page.Document.QuerySelectorAll("[data-pay-to] [data-seller-address-line]"));
            Assert.Null(page.Document.QuerySelector("[data-seller-tax-id]"));
        }
    }

    [Fact]
    public async Task The_stamp_reads_Unpaid_Partially_paid_Paid_Cancelled_and_Refunded_as_the_invoice_goes()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Stamp Co");
        var product = await slice.ProductAsync(price: 40m, setupFee: 0m);
        var paying = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;
        var cancelledOrder = await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
        var cancelled = (await slice.OrderAsync(cancelledOrder)).Invoice!.Id;
        var refunded = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1)))).Invoice!.Id;
        using var browser = await portal.LoginAsync(owner.Email!);

        async Task AssertStampAsync(int invoiceId, string expected)
        {
            var page = await browser.GetAsync($"/invoices/{invoiceId}");
            Assert.Equal(expected, page.Document.QuerySelector("[data-invoice-stamp]")!.TextContent.Trim());
            Assert.Equal(expected, page.Document.QuerySelector("[data-invoice-status]")!.TextContent.Trim());
        }

        await AssertStampAsync(paying, "Unpaid");
        await slice.SendAsync(Pay(paying, 15m));
        await AssertStampAsync(paying, "Partially paid");
        var list = await browser.GetAsync("/invoices");
        Assert.Equal("Partially paid", list.Document.QuerySelector($"[data-invoice-id='{paying}'] [data-invoice-status]")!.TextContent.Trim());
        await slice.SendAsync(Pay(paying, 25m));
        await AssertStampAsync(paying, "Paid");

        await slice.SendAsync(new CancelOrder.Command { OrderId = cancelledOrder, Decision = OrderDecision.Cancel, Reason = "Client asked", Confirm = true });
        await AssertStampAsync(cancelled, "Cancelled");

        await slice.SendAsync(Pay(refunded, 40m));
        await slice.SendAsync(new RefundInvoice.Command { InvoiceId = refunded, Amount = 40m, Reason = "Returned", CancelBalance = false, SuspendServices = true, Confirm = true });
        await AssertStampAsync(refunded, "Refunded");
    }

    [Fact]
    public async Task The_setup_fee_is_a_line_of_its_own_under_its_product()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Setup Fee Co");
        var product = await slice.ProductAsync(price: 20m, setupFee: 5m);
        var invoice = (await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 2)))).Invoice!;
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync($"/invoices/{invoice.Id}");

        var rows = page.Document.QuerySelectorAll("[data-invoice-lines] tbody tr")
            .Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))).ToList();
        Assert.Equal([$"{product.Name} (Monthly) | 2 | 20.00 USD | 40.00 USD", $"Setup fee: {product.Name} | 2 | 5.00 USD | 10.00 USD"], rows);
        Assert.Equal("50.00 USD", page.Document.QuerySelector("[data-total]")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_invoice_has_a_print_button_and_the_print_stylesheet_prints_the_invoice_without_navigation_or_buttons()
    {
        var (owner, invoiceId, _) = await InvoiceAsync("Print Co");
        using (owner)
        {
            var page = await owner.GetAsync($"/invoices/{invoiceId}");

            var print = page.Document.QuerySelector("[data-invoice] button[data-print]")!;
            Assert.Equal(("button", "Print"), (print.GetAttribute("type"), print.TextContent.Trim()));
            Assert.NotNull(page.Document.QuerySelector("header nav"));
            var stylesheet = page.Document.QuerySelector("link[rel=stylesheet][media=print]")!.GetAttribute("href")!;
            var css = await owner.Client.GetStringAsync(stylesheet);
            Assert.Contains("header, footer, nav, .no-print, .btn, .alert { display: none !important; }", css);
            Assert.Contains("body:has(.invoice) main > :not(.invoice)", css);
        }
    }

    private static RecordPayment.Command Pay(int invoiceId, decimal amount) =>
        new() { InvoiceId = invoiceId, Amount = amount, Date = new DateOnly(2026, 3, 1), Method = "Bank transfer", Reference = "TRX-1" };
}
