using Mediator;
using Portal.Features.Billing.Shared;
using Portal.Infrastructure.Data;

namespace Portal.Features.Dashboard;

/// <summary>The active account's billing at a glance, for the dashboard's tiles.</summary>
public static class DashboardSummary
{
    public sealed record Query(int ClientId) : IQuery<BillingCounts>;

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, BillingCounts>
    {
        public async ValueTask<BillingCounts> Handle(Query query, CancellationToken cancellationToken) =>
            await BillingCounts.OfAsync(db, query.ClientId, cancellationToken);
    }
}
