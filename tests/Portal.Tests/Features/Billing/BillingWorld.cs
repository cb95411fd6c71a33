using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Settings;

namespace Portal.Tests.Features.Billing;

/// <summary>Catalogue entries and orders written through the real slices, for the billing tests.</summary>
public static class BillingWorld
{
    public static async Task<Product> ProductAsync(this SliceFixture slice, decimal price = 20m, decimal setupFee = 5m, BillingCycle cycle = BillingCycle.Monthly, bool hidden = false)
    {
        var product = Product.Create(new ProductDetails($"Plan {Guid.NewGuid():N}"[..16], "A plan", price, setupFee, cycle, hidden), slice.Now);
        await slice.InsertAsync(product);
        return product;
    }

    public static Task<int> PlaceOrderAsync(this SliceFixture slice, int clientId, int userId, params (Product Product, int Quantity)[] lines) =>
        PlaceAsync(slice.SendAsync, slice.SendAsync, clientId, userId, lines);

    /// <summary>An order as the order page places it: the lines reviewed, then that review confirmed.</summary>
    public static Task<int> PlaceOrderAsync(this PortalFixture portal, int clientId, int? userId, params (Product Product, int Quantity)[] lines) =>
        PlaceAsync(portal.SendAsync, portal.SendAsync, clientId, userId, lines);

    /// <summary>The reviewed lines confirmed as the order page confirms them, for tests that change something in between.</summary>
    public static PlaceOrder.Command Confirmation(this PlaceOrder.PricedReview review, int clientId, int? userId) => new()
    {
        ClientId = clientId,
        UserId = userId,
        IdempotencyKey = review.IdempotencyKey,
        Lines = review.Lines.Select(l => new OrderLine { ProductId = l.ProductId, Quantity = l.Quantity }).ToList(),
    };

    private static async Task<int> PlaceAsync(
        Func<PlaceOrder.Review, Task<PlaceOrder.PricedReview>> review, Func<PlaceOrder.Command, Task<PlaceOrder.Placed>> confirm,
        int clientId, int? userId, (Product Product, int Quantity)[] lines)
    {
        var reviewed = await review(new PlaceOrder.Review
        {
            ClientId = clientId,
            UserId = userId,
            Lines = lines.Select(l => new OrderLine { ProductId = l.Product.Id, Quantity = l.Quantity }).ToList(),
        });
        var placed = await confirm(reviewed.Confirmation(clientId, userId));
        return placed.OrderId ?? throw new InvalidOperationException("The confirmation went back to review.");
    }

    public static Task<Order> OrderAsync(this SliceFixture slice, int orderId) =>
        slice.ExecuteDbContextAsync(db => db.Orders.AsNoTracking()
            .Include(o => o.Items).Include(o => o.Services).Include(o => o.Invoice!).ThenInclude(i => i.Lines).Include(o => o.Invoice!).ThenInclude(i => i.Payments)
            .SingleAsync(o => o.Id == orderId));

    public static Task SetVerificationRequiredAsync(this SliceFixture slice, bool required) =>
        slice.ExecuteDbContextAsync(async db =>
        {
            await new SystemSettings(db).SetAsync(SystemSettings.IdentityVerificationKey, required ? "true" : "false");
            await db.SaveChangesAsync();
        });
}
