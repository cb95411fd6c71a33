using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>The catalogue as admins see it: every product, hidden ones included, by name.</summary>
public static class ListProducts
{
    public sealed record Query : IQuery<IReadOnlyList<Row>>;

    public sealed record Row(int Id, string Name, decimal Price, decimal SetupFee, BillingCycle Cycle, bool IsHidden);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Products.AsNoTracking()
                .OrderBy(p => p.Name).ThenBy(p => p.Id)
                .Select(p => new Row(p.Id, p.Name, p.Price, p.SetupFee, p.Cycle, p.IsHidden))
                .ToListAsync(cancellationToken);
    }
}
