using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>An admin changes a product or hides it. Placed orders keep the name and prices they were placed with.</summary>
public static class EditProduct
{
    public sealed record Query(int ProductId) : IQuery<Command?>;

    public sealed class Command : ProductForm, ICommand
    {
        [BindNever]
        public int ProductId { get; set; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddProductRules();
    }

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Command?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Products.AsNoTracking().Where(p => p.Id == query.ProductId)
                .Select(p => new Command
                {
                    ProductId = p.Id,
                    Name = p.Name,
                    Description = p.Description,
                    Price = p.Price,
                    SetupFee = p.SetupFee,
                    Cycle = p.Cycle,
                    IsHidden = p.IsHidden,
                })
                .SingleOrDefaultAsync(cancellationToken);
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, Money money) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var product = await db.Products.SingleOrDefaultAsync(p => p.Id == command.ProductId, cancellationToken)
                ?? throw Refuse.NotFound("Product");
            var before = Describe(product);
            product.Update(command.ToDetails());
            var after = Describe(product);
            if (before != after)
            {
                activity.Record($"Changed product #{product.Id} from {before} to {after}");
            }

            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }

        private string Describe(Product p) =>
            $"\"{p.Name}\" {money.Format(p.Price)} {p.Cycle.Label()}, setup fee {money.Format(p.SetupFee)}, {(p.IsHidden ? "hidden" : "visible")}";
    }
}
