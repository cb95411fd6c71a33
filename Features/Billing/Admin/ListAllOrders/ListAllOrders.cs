using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

/// <summary>Every account's orders for admins, newest first, by client, status and date range, paged; and the open cancellation requests.</summary>
public static class ListAllOrders
{
    public sealed record Query(int? ClientId, OrderStatus? Status, DateOnly? From, DateOnly? To, PageRequest Page) : IQuery<Result>;

    public sealed record Row(int Id, DateTimeOffset PlacedAt, int ClientId, string ClientName, string UserName, string UserEmail, bool CreatedByAdmin, OrderStatus Status);

    public sealed record CancellationRequest(int ServiceId, string ServiceName, int OrderId, int ClientId, string ClientName, CancellationKind Kind, string Reason, DateTimeOffset RequestedAt);

    public sealed record Result(KeysetPage<Row> Orders, IReadOnlyList<CancellationRequest> CancellationRequests);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var orders = db.Orders.AsNoTracking();
            if (query.ClientId is { } clientId)
            {
                orders = orders.Where(o => o.ClientId == clientId);
            }

            if (query.Status is { } status)
            {
                orders = orders.Where(o => o.Status == status);
            }

            if (query.From is { } from)
            {
                var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                orders = orders.Where(o => o.PlacedAt >= since);
            }

            if (query.To is { } to && to < DateOnly.MaxValue)
            {
                var until = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                orders = orders.Where(o => o.PlacedAt < until);
            }

            var page = await Keyset.ReadAsync(
                query.Page,
                Paging.DefaultPageSize,
                key => Project(db, (key is { } id ? orders.Where(o => o.Id < id) : orders).OrderByDescending(o => o.Id)),
                key => Project(db, orders.Where(o => o.Id > key).OrderBy(o => o.Id)),
                IdKey.Parse,
                row => row.Id.ToString(CultureInfo.InvariantCulture),
                await orders.CountUpToLimitAsync(cancellationToken),
                cancellationToken);

            var requests = await db.Services.AsNoTracking()
                .Where(s => s.CancellationRequestedAt != null && s.Status != ServiceStatus.Cancelled)
                .OrderBy(s => s.CancellationRequestedAt)
                .Join(db.Clients, s => s.ClientId, c => c.Id, (s, c) => new { s, c.FirstName, c.LastName, c.CompanyName })
                .Select(x => new { x.s.Id, x.s.Name, x.s.OrderId, x.s.ClientId, x.FirstName, x.LastName, x.CompanyName, x.s.CancellationKind, x.s.CancellationReason, x.s.CancellationRequestedAt })
                .Take(100)
                .ToListAsync(cancellationToken);
            return new Result(
                page,
                requests.Select(r => new CancellationRequest(r.Id, r.Name, r.OrderId, r.ClientId, Client.DisplayNameOf(r.FirstName, r.LastName, r.CompanyName),
                    r.CancellationKind!.Value, r.CancellationReason ?? "", r.CancellationRequestedAt!.Value)).ToList());
        }

        private static IQueryable<Row> Project(PortalDbContext db, IQueryable<Order> orders) =>
            orders
                .Join(db.Clients, o => o.ClientId, c => c.Id, (o, c) => new { o, c.FirstName, c.LastName, c.CompanyName })
                .Select(x => new Row(
                    x.o.Id, x.o.PlacedAt, x.o.ClientId, Client.DisplayNameOf(x.FirstName, x.LastName, x.CompanyName),
                    (x.o.User.FirstName + " " + x.o.User.LastName).Trim(), x.o.User.Email ?? "", x.o.CreatedByAdminId != null, x.o.Status));
    }
}
