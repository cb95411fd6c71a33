using System.Net;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Billing;

namespace Portal.Tests.Features.Billing;

[Collection(BillingCollection.Name)]
public sealed class ProductsTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task An_added_product_is_in_the_catalogue_and_logged()
    {
        var name = $"Hosting {Guid.NewGuid():N}";

        var id = await slice.SendAsync(new AddProduct.Command { Name = name, Description = "Shared", Price = 9.99m, SetupFee = 5m, Cycle = BillingCycle.Quarterly });

        var product = (await slice.FindAsync<Product>(id))!;
        Assert.Equal((name, 9.99m, 5m, BillingCycle.Quarterly, false), (product.Name, product.Price, product.SetupFee, product.Cycle, product.IsHidden));
        var log = await slice.ExecuteDbContextAsync(db => db.ActivityLog.Select(e => e.Description).ToListAsync());
        Assert.Contains($"Added product {name}: 9.99 USD Quarterly, setup fee 5.00 USD", log);
    }

    [Theory]
    [InlineData("", 1, 0, "Name is required.")]
    [InlineData("Ok", -1, 0, "Price cannot be negative.")]
    [InlineData("Ok", 1, 0.001, "Setup fee can have at most two decimals.")]
    [InlineData("Ok", 1_000_001, 0, "Price must be at most 1,000,000.")]
    public async Task Bad_product_input_is_refused_and_nothing_is_added(string name, decimal price, decimal setupFee, string message)
    {
        var before = await slice.ExecuteDbContextAsync(db => db.Products.CountAsync());

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            slice.SendAsync(new AddProduct.Command { Name = name, Price = price, SetupFee = setupFee }));

        Assert.Contains(refused.Errors, e => e.ErrorMessage == message);
        Assert.Equal(before, await slice.ExecuteDbContextAsync(db => db.Products.CountAsync()));
    }

    [Fact]
    public async Task Hiding_a_product_is_an_edit_that_is_logged_with_before_and_after()
    {
        var id = await slice.SendAsync(new AddProduct.Command { Name = "Backup Plan", Price = 3m, Cycle = BillingCycle.Monthly });

        await slice.SendAsync(new EditProduct.Command { ProductId = id, Name = "Backup Plan", Price = 4m, Cycle = BillingCycle.Monthly, IsHidden = true });

        Assert.True((await slice.FindAsync<Product>(id))!.IsHidden);
        var log = await slice.ExecuteDbContextAsync(db => db.ActivityLog.Select(e => e.Description).ToListAsync());
        Assert.Contains($"Changed product #{id} from \"Backup Plan\" 3.00 USD Monthly, setup fee 0.00 USD, visible to \"Backup Plan\" 4.00 USD Monthly, setup fee 0.00 USD, hidden", log);
    }

    [Fact]
    public async Task The_admin_adds_a_product_through_the_form_and_sees_it_listed_with_its_currency()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var name = $"Domain {Guid.NewGuid():N}"[..20];
        var form = await admin.GetAsync("/admin/products/new");

        var response = await admin.SubmitAsync(form, new()
        {
            ["Input.Name"] = name, ["Input.Price"] = "12.50", ["Input.SetupFee"] = "0", ["Input.Cycle"] = "Annually",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var list = await admin.FollowAsync(response);
        var row = list.Document.QuerySelectorAll("[data-product-id]").Single(r => r.TextContent.Contains(name));
        Assert.Contains("12.50 USD", row.TextContent);
        Assert.Contains("Annually", row.TextContent);
    }

    [Fact]
    public async Task An_unknown_product_id_answers_404()
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/products/987654")).Status);
    }
}
