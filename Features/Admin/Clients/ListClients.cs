using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Clients;

/// <summary>The admin's list of client accounts: search by name, company or e-mail, filter by status, sort by a column, paged.</summary>
public static class ListClients
{
    public static readonly IReadOnlyList<string> SortKeys = ["id", "name", "company", "email", "users", "status", "created"];

    public const string DefaultSort = "id";

    public sealed record Query(string? Search, ClientStatus? Status, int Page, string? Sort = null, bool Descending = false) : IQuery<Paged<Row>>
    {
        /// <summary>The sort key to use: one of <see cref="SortKeys"/>, anything else falls back to the id.</summary>
        public string SortKey => Sort is not null && SortKeys.Contains(Sort.ToLowerInvariant()) ? Sort.ToLowerInvariant() : DefaultSort;
    }

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

            clients = (query.SortKey, query.Descending) switch
            {
                ("name", false) => clients.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id),
                ("name", true) => clients.OrderByDescending(c => c.LastName).ThenByDescending(c => c.FirstName).ThenBy(c => c.Id),
                ("company", false) => clients.OrderBy(c => c.CompanyName).ThenBy(c => c.Id),
                ("company", true) => clients.OrderByDescending(c => c.CompanyName).ThenBy(c => c.Id),
                ("email", false) => clients.OrderBy(c => c.Email).ThenBy(c => c.Id),
                ("email", true) => clients.OrderByDescending(c => c.Email).ThenBy(c => c.Id),
                ("users", false) => clients.OrderBy(c => c.Users.Count).ThenBy(c => c.Id),
                ("users", true) => clients.OrderByDescending(c => c.Users.Count).ThenBy(c => c.Id),
                ("status", false) => clients.OrderBy(c => c.Status).ThenBy(c => c.Id),
                ("status", true) => clients.OrderByDescending(c => c.Status).ThenBy(c => c.Id),
                ("created", false) => clients.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
                ("created", true) => clients.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id),
                (_, true) => clients.OrderByDescending(c => c.Id),
                _ => clients.OrderBy(c => c.Id),
            };

            return await clients
                .Select(c => new Row(c.Id, c.FirstName, c.LastName, c.CompanyName, c.Email, c.Status, c.Owner.Email ?? "", c.Users.Count, c.CreatedAt))
                .ToPagedAsync(query.Page, cancellationToken: cancellationToken);
        }
    }
}
