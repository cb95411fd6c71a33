using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Clients;

/// <summary>The admin's list of client accounts: search by name, company or e-mail, filter by status, paged.</summary>
public static class ListClients
{
    public sealed record Query(string? Search, ClientStatus? Status, int Page) : IQuery<Paged<Row>>;

    public sealed record Row(int Id, string FirstName, string LastName, string? CompanyName, string Email, ClientStatus Status, string OwnerEmail, int Users, DateTimeOffset CreatedAt);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var clients = db.Clients.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var term = Search.ContainsPattern(query.Search);
                clients = clients.Where(c =>
                    EF.Functions.Like(c.FirstName.ToLower(), term, Search.Escape) || EF.Functions.Like(c.LastName.ToLower(), term, Search.Escape)
                    || EF.Functions.Like((c.FirstName + " " + c.LastName).ToLower(), term, Search.Escape)
                    || (c.CompanyName != null && EF.Functions.Like(c.CompanyName.ToLower(), term, Search.Escape))
                    || EF.Functions.Like(c.Email.ToLower(), term, Search.Escape));
            }

            if (query.Status is { } status)
            {
                clients = clients.Where(c => c.Status == status);
            }

            return await clients
                .OrderBy(c => c.Id)
                .Select(c => new Row(c.Id, c.FirstName, c.LastName, c.CompanyName, c.Email, c.Status, c.Owner.Email ?? "", c.Users.Count, c.CreatedAt))
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
        }
    }
}
