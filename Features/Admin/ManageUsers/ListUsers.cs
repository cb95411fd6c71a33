using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ManageUsers;

/// <summary>Every user login, searchable by name or e-mail, sortable by any column, paged. Also the admin's user picker.</summary>
public static class ListUsers
{
    public static readonly IReadOnlyList<string> SortKeys = ["id", "firstname", "lastname", "email", "lastlogin"];

    public const string DefaultSort = "id";

    public sealed record Query(string? Search, string? Sort, bool Descending, int Page, int PageSize = Paging.DefaultPageSize) : IQuery<Paged<Row>>
    {
        /// <summary>The sort key to use: one of <see cref="SortKeys"/>, anything else falls back to the id.</summary>
        public string SortKey => Sort is not null && SortKeys.Contains(Sort.ToLowerInvariant()) ? Sort.ToLowerInvariant() : DefaultSort;
    }

    public sealed record Row(int Id, string FirstName, string LastName, string Email, bool EmailConfirmed, DateTimeOffset? LastLoginAt)
    {
        public string Name => $"{FirstName} {LastName}".Trim();
    }

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var users = db.Users.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var term = Search.ContainsPattern(query.Search);
                users = users.Where(u =>
                    EF.Functions.Like(u.FirstName.ToLower(), term, Search.Escape) || EF.Functions.Like(u.LastName.ToLower(), term, Search.Escape)
                    || EF.Functions.Like((u.FirstName + " " + u.LastName).ToLower(), term, Search.Escape)
                    || EF.Functions.Like(u.Email!.ToLower(), term, Search.Escape));
            }

            users = (query.SortKey, query.Descending) switch
            {
                ("firstname", false) => users.OrderBy(u => u.FirstName).ThenBy(u => u.Id),
                ("firstname", true) => users.OrderByDescending(u => u.FirstName).ThenBy(u => u.Id),
                ("lastname", false) => users.OrderBy(u => u.LastName).ThenBy(u => u.Id),
                ("lastname", true) => users.OrderByDescending(u => u.LastName).ThenBy(u => u.Id),
                ("email", false) => users.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id),
                ("email", true) => users.OrderByDescending(u => u.NormalizedEmail).ThenBy(u => u.Id),
                ("lastlogin", false) => users.OrderBy(u => u.LastLoginAt).ThenBy(u => u.Id),
                ("lastlogin", true) => users.OrderByDescending(u => u.LastLoginAt).ThenBy(u => u.Id),
                (_, true) => users.OrderByDescending(u => u.Id),
                _ => users.OrderBy(u => u.Id),
            };

            return await users
                .Select(u => new Row(u.Id, u.FirstName, u.LastName, u.Email ?? "", u.EmailConfirmed, u.LastLoginAt))
                .ToPagedAsync(query.Page, query.PageSize, cancellationToken);
        }
    }
}
