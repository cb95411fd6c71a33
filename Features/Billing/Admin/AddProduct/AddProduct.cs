using FluentValidation;
using Mediator;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>An admin adds a product to the catalogue.</summary>
public static class AddProduct
{
    public sealed class Command : ProductForm, ICommand<int>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddProductRules();
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, Money money, TimeProvider time) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var product = Product.Create(command.ToDetails(), time.GetUtcNow());
            db.Products.Add(product);
            activity.Record($"Added product {product.Name}: {money.Format(product.Price)} {product.Cycle.Label()}, setup fee {money.Format(product.SetupFee)}{(product.IsHidden ? ", hidden" : "")}");
            await db.SaveChangesAsync(cancellationToken);
            return product.Id;
        }
    }
}
