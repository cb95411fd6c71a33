using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing.Services;

/// <summary>The active account's services with their status, billing cycle and next due date, paged.</summary>
public static class ListServices
{
    public sealed record Query(int ClientId, int Page) : IQuery<Paged<Row>>;

    public sealed record Row(int Id, string Name, ServiceStatus Status, BillingCycle Cycle, decimal Amount, DateTimeOffset? NextDueAt, bool CancellationRequested);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Services.AsNoTracking().Where(s => s.ClientId == query.ClientId)
                .OrderByDescending(s => s.Id)
                .Select(s => new Row(s.Id, s.Name, s.Status, s.Cycle, s.Amount, s.NextDueAt, s.CancellationRequestedAt != null))
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
    }
}
