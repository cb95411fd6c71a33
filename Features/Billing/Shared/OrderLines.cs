using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>A product and how many of it, as a form posts them. Never a price: prices come from the catalogue.</summary>
public sealed class OrderLine
{
    public int ProductId { get; set; }
    public int Quantity { get; set; }
}

/// <summary>A message that carries order lines.</summary>
public interface IOrderLines
{
    List<OrderLine> Lines { get; }
}

/// <summary>What an order form must hold: at least one product, sane quantities, and only products that are on offer.</summary>
public static class OrderLineRules
{
    public const int MaxLines = 100;
    public const string ChooseOne = "Choose at least one product.";
    public const string NotAvailable = "This product is not available.";
    public static readonly string QuantityRange = $"Quantity must be between 0 and {Order.MaxQuantity}.";

    public static void AddOrderLineRules<T>(this AbstractValidator<T> validator, PortalDbContext db)
        where T : IOrderLines
    {
        validator.RuleFor(x => x.Lines)
            .Must(l => l is { Count: > 0 and <= MaxLines } && l.Any(line => line.Quantity > 0)).WithMessage(ChooseOne);
        validator.RuleForEach(x => x.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.Quantity).InclusiveBetween(0, Order.MaxQuantity).WithMessage(QuantityRange);
        });
        validator.RuleFor(x => x.Lines).CustomAsync(async (list, context, ct) =>
        {
            if (list is not { Count: > 0 and <= MaxLines })
            {
                return;
            }

            var wanted = list.Where(l => l.Quantity > 0).Select(l => l.ProductId).Distinct().ToList();
            var onOffer = await db.Products.Where(p => wanted.Contains(p.Id) && !p.IsHidden).Select(p => p.Id).ToListAsync(ct);
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Quantity > 0 && !onOffer.Contains(list[i].ProductId))
                {
                    context.AddFailure($"Lines[{i}].ProductId", NotAvailable);
                }
            }

            if (list.Where(l => l.Quantity > 0).GroupBy(l => l.ProductId).Any(g => g.Count() > 1))
            {
                context.AddFailure("Lines", "Each product can be listed once.");
            }
        });
    }

    /// <summary>The chosen lines with their catalogue products, in the order posted. Call after the rules have passed.</summary>
    public static async Task<List<(Product Product, int Quantity)>> PriceAsync(PortalDbContext db, IEnumerable<OrderLine> lines, CancellationToken ct)
    {
        var chosen = lines.Where(l => l.Quantity > 0).ToList();
        var ids = chosen.Select(l => l.ProductId).ToList();
        var products = await db.Products.Where(p => ids.Contains(p.Id) && !p.IsHidden).ToDictionaryAsync(p => p.Id, ct);
        return chosen.Select(l => (products[l.ProductId], l.Quantity)).ToList();
    }
}
