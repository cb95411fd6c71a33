using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

/// <summary>The active account's services with their status, billing cycle and next due date, paged.</summary>
public static class ListServices
{
    public sealed record Query(int ClientId, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(int Id, string Name, ServiceStatus Status, BillingCycle Cycle, decimal Amount, DateTimeOffset? NextDueAt, bool CancellationRequested);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Services.AsNoTracking().Where(s => s.ClientId == query.ClientId).ReadNewestFirstAsync(
                s => s.Id,
                s => new Row(s.Id, s.Name, s.Status, s.Cycle, s.Amount, s.NextDueAt, s.CancellationRequestedAt != null),
                row => row.Id,
                query.Page,
                cancellationToken);
    }
}
