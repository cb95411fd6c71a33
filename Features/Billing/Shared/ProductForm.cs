using FluentValidation;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>The product fields shared by Add Product and Edit Product.</summary>
public class ProductForm
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public decimal Price { get; init; }
    public decimal SetupFee { get; init; }
    public BillingCycle Cycle { get; init; } = BillingCycle.Monthly;
    public bool IsHidden { get; init; }

    public ProductDetails ToDetails() => new(Name!.Trim(), Description?.Trim() ?? "", Price, SetupFee, Cycle, IsHidden);
}

public static class ProductFormRules
{
    public static void AddProductRules<T>(this AbstractValidator<T> validator)
        where T : ProductForm
    {
        validator.RuleFor(x => x.Name).RequiredText("Name", BillingLengths.ProductName);
        validator.RuleFor(x => x.Description).OptionalText("Description", BillingLengths.Description)
            .Must(d => d is null || !d.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'));
        validator.RuleFor(x => x.Price).Amount("Price");
        validator.RuleFor(x => x.SetupFee).Amount("Setup fee");
        validator.RuleFor(x => x.Cycle).IsInEnum().WithMessage("Choose a billing cycle.");
    }
}
