using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Billing.Orders;

/// <summary>Every account's orders for admins, newest first, by client, status and date range, paged; and the open cancellation requests.</summary>
public static class ListOrders
{
    public sealed record Query(int? ClientId, OrderStatus? Status, DateOnly? From, DateOnly? To, int Page) : IQuery<Result>;

    public sealed record Row(int Id, DateTimeOffset PlacedAt, int ClientId, string ClientName, string UserName, string UserEmail, bool CreatedByAdmin, OrderStatus Status);

    public sealed record CancellationRequest(int ServiceId, string ServiceName, int OrderId, int ClientId, string ClientName, CancellationKind Kind, string Reason, DateTimeOffset RequestedAt);

    public sealed record Result(Paged<Row> Orders, IReadOnlyList<CancellationRequest> CancellationRequests);

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

            var page = await orders.OrderByDescending(o => o.Id)
                .Join(db.Clients, o => o.ClientId, c => c.Id, (o, c) => new { o, c.FirstName, c.LastName, c.CompanyName })
                .Select(x => new { x.o.Id, x.o.PlacedAt, x.o.ClientId, x.FirstName, x.LastName, x.CompanyName, UserFirst = x.o.User.FirstName, UserLast = x.o.User.LastName, x.o.User.Email, x.o.CreatedByAdminId, x.o.Status })
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
            var rows = page.Items.Select(x => new Row(x.Id, x.PlacedAt, x.ClientId, Client.DisplayNameOf(x.FirstName, x.LastName, x.CompanyName),
                $"{x.UserFirst} {x.UserLast}".Trim(), x.Email ?? "", x.CreatedByAdminId is not null, x.Status)).ToList();

            var requests = await db.Services.AsNoTracking()
                .Where(s => s.CancellationRequestedAt != null && s.Status != ServiceStatus.Cancelled)
                .OrderBy(s => s.CancellationRequestedAt)
                .Join(db.Clients, s => s.ClientId, c => c.Id, (s, c) => new { s, c.FirstName, c.LastName, c.CompanyName })
                .Select(x => new { x.s.Id, x.s.Name, x.s.OrderId, x.s.ClientId, x.FirstName, x.LastName, x.CompanyName, x.s.CancellationKind, x.s.CancellationReason, x.s.CancellationRequestedAt })
                .Take(100)
                .ToListAsync(cancellationToken);
            return new Result(
                new Paged<Row>(rows, page.Page, page.PageSize, page.Total),
                requests.Select(r => new CancellationRequest(r.Id, r.Name, r.OrderId, r.ClientId, Client.DisplayNameOf(r.FirstName, r.LastName, r.CompanyName),
                    r.CancellationKind!.Value, r.CancellationReason ?? "", r.CancellationRequestedAt!.Value)).ToList());
        }
    }
}
