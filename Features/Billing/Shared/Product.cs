namespace Portal.Features.Billing;

public enum BillingCycle
{
    OneTime,
    Monthly,
    Quarterly,
    Annually,
}

public static class BillingCycles
{
    public static string Label(this BillingCycle cycle) => cycle switch
    {
        BillingCycle.OneTime => "One-time",
        BillingCycle.Monthly => "Monthly",
        BillingCycle.Quarterly => "Quarterly",
        BillingCycle.Annually => "Annually",
        _ => cycle.ToString(),
    };

    /// <summary>When a service on this cycle is next due after <paramref name="from"/>; a one-time service never is.</summary>
    public static DateTimeOffset? NextDue(this BillingCycle cycle, DateTimeOffset from) => cycle switch
    {
        BillingCycle.Monthly => from.AddMonths(1),
        BillingCycle.Quarterly => from.AddMonths(3),
        BillingCycle.Annually => from.AddYears(1),
        _ => null,
    };
}

/// <summary>Something in the provider's catalogue. Orders copy its name and prices, so later edits never change an order.</summary>
public sealed class Product
{
    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public decimal Price { get; private set; }
    public decimal SetupFee { get; private set; }
    public BillingCycle Cycle { get; private set; }
    public bool IsHidden { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private Product()
    {
    }

    public static Product Create(ProductDetails details, DateTimeOffset now)
    {
        var product = new Product { CreatedAt = now };
        product.Update(details);
        return product;
    }

    public void Update(ProductDetails details)
    {
        if (details.Price < 0 || details.SetupFee < 0)
        {
            throw new InvalidOperationException("Prices cannot be negative.");
        }

        Name = details.Name;
        Description = details.Description;
        Price = details.Price;
        SetupFee = details.SetupFee;
        Cycle = details.Cycle;
        IsHidden = details.IsHidden;
    }

    /// <summary>What one unit costs on the first invoice: the price of the first period plus the setup fee.</summary>
    public decimal FirstPayment => Price + SetupFee;
}

public sealed record ProductDetails(string Name, string Description, decimal Price, decimal SetupFee, BillingCycle Cycle, bool IsHidden);
