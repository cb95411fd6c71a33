using FluentValidation;
using FluentValidation.Results;
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

/// <summary>
/// What an order form must hold: at least one product, sane quantities, each product once (<see cref="AddOrderLineRules"/>,
/// checks of the input alone), and only products that are on offer (<see cref="PriceAsync"/>, which reads the catalogue:
/// for an order it runs inside the write unit that places it, so a product hidden a moment before is refused, never a 500).
/// </summary>
public static class OrderLineRules
{
    public const int MaxLines = 100;
    public const string ChooseOne = "Choose at least one product.";
    public const string NotAvailable = "This product is not available.";
    public static readonly string QuantityRange = $"Quantity must be between 0 and {Order.MaxQuantity}.";

    /// <summary>The rules of the input alone.</summary>
    public static void AddOrderLineRules<T>(this AbstractValidator<T> validator)
        where T : IOrderLines
    {
        validator.RuleFor(x => x.Lines)
            .Must(l => l is { Count: > 0 and <= MaxLines } && l.Any(line => line.Quantity > 0)).WithMessage(ChooseOne);
        validator.RuleForEach(x => x.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.Quantity).InclusiveBetween(0, Order.MaxQuantity).WithMessage(QuantityRange);
        });
        validator.RuleFor(x => x.Lines)
            .Must(l => l is null || !l.Where(line => line.Quantity > 0).GroupBy(line => line.ProductId).Any(g => g.Count() > 1))
            .WithMessage("Each product can be listed once.");
    }

    /// <summary>
    /// The chosen lines with their catalogue products, in the order posted; a product that is not (or no longer) on offer
    /// is refused beside its line. Call after the input rules have passed.
    /// </summary>
    public static async Task<List<(Product Product, int Quantity)>> PriceAsync(PortalDbContext db, IReadOnlyList<OrderLine> lines, CancellationToken ct)
    {
        var ids = lines.Where(l => l.Quantity > 0).Select(l => l.ProductId).Distinct().ToList();
        var products = await db.Products.Where(p => ids.Contains(p.Id) && !p.IsHidden).ToDictionaryAsync(p => p.Id, ct);
        var unavailable = lines.Select((line, i) => (line, i))
            .Where(x => x.line.Quantity > 0 && !products.ContainsKey(x.line.ProductId))
            .Select(x => new ValidationFailure($"Lines[{x.i}].ProductId", NotAvailable))
            .ToList();
        if (unavailable.Count > 0)
        {
            throw new ValidationException(unavailable);
        }

        return lines.Where(l => l.Quantity > 0).Select(l => (products[l.ProductId], l.Quantity)).ToList();
    }
}
