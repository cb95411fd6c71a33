using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>One service of the active account; its login only for those who may see product passwords.</summary>
public static class ViewService
{
    public sealed record Query(int ClientId, int ServiceId, bool WithLogin) : IQuery<Details?>;

    public sealed record Details(
        int Id, string Name, ServiceStatus Status, BillingCycle Cycle, decimal Amount, DateTimeOffset? NextDueAt, DateTimeOffset? ActivatedAt, int OrderId,
        CancellationKind? CancellationKind, string? CancellationReason, DateTimeOffset? CancellationRequestedAt, string? Username, string? Password);

    internal sealed class Handler(PortalDbContext db, ServiceLogins logins) : IQueryHandler<Query, Details?>
    {
        public async ValueTask<Details?> Handle(Query query, CancellationToken cancellationToken)
        {
            var s = await db.Services.AsNoTracking().SingleOrDefaultAsync(s => s.Id == query.ServiceId && s.ClientId == query.ClientId, cancellationToken);
            return s is null
                ? null
                : new Details(
                    s.Id, s.Name, s.Status, s.Cycle, s.Amount, s.NextDueAt, s.ActivatedAt, s.OrderId, s.CancellationKind, s.CancellationReason, s.CancellationRequestedAt,
                    query.WithLogin ? s.Username : null, query.WithLogin ? logins.Reveal(s.PasswordProtected) : null);
        }
    }
}
