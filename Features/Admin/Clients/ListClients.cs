using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Clients;

/// <summary>
/// The admin's list of client accounts: search by name, company or e-mail (any part, any case, accents or not), filter
/// by status, paged by id.
/// </summary>
public static class ListClients
{
    public sealed record Query(string? Search, ClientStatus? Status, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(int Id, string FirstName, string LastName, string? CompanyName, string Email, ClientStatus Status, string OwnerEmail, int Users, DateTimeOffset CreatedAt);

    internal sealed class Handler(PortalDbContext db, IPeopleSearch search) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var clients = search.Clients(db.Clients.AsNoTracking(), query.Search);
            if (query.Status is { } status)
            {
                clients = clients.Where(c => c.Status == status);
            }

            return await Keyset.ReadAsync(
                query.Page,
                Paging.DefaultPageSize,
                key => Project((key is { } id ? clients.Where(c => c.Id > id) : clients).OrderBy(c => c.Id)),
                key => Project(clients.Where(c => c.Id < key).OrderByDescending(c => c.Id)),
                IdKey.Parse,
                row => row.Id.ToString(CultureInfo.InvariantCulture),
                await clients.CountUpToLimitAsync(cancellationToken),
                cancellationToken);
        }

        private static IQueryable<Row> Project(IQueryable<Client> clients) =>
            clients.Select(c => new Row(c.Id, c.FirstName, c.LastName, c.CompanyName, c.Email, c.Status, c.Owner.Email ?? "", c.Users.Count, c.CreatedAt));
    }
}
