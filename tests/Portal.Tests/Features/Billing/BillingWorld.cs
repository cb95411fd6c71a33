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
        slice.SendAsync(new PlaceOrder.Command
        {
            ClientId = clientId,
            UserId = userId,
            IdempotencyKey = Portal.Infrastructure.Auth.Tokens.New(),
            Lines = lines.Select(l => new OrderLine { ProductId = l.Product.Id, Quantity = l.Quantity }).ToList(),
        });

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
