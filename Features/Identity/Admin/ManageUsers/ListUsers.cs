using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>
/// Every user login, searchable by name or e-mail (any part, any case, accents or not), sortable by any column, paged.
/// Also the admin's user picker.
/// </summary>
public static class ListUsers
{
    public static readonly IReadOnlyList<string> SortKeys = ["id", "firstname", "lastname", "email", "lastlogin"];

    public const string DefaultSort = "id";

    public sealed record Query(string? Search, string? Sort, bool Descending, PageRequest Page, int PageSize = Paging.DefaultPageSize) : IQuery<KeysetPage<Row>>
    {
        /// <summary>The sort key to use: one of <see cref="SortKeys"/>, anything else falls back to the id.</summary>
        public string SortKey => Sort is not null && SortKeys.Contains(Sort.ToLowerInvariant()) ? Sort.ToLowerInvariant() : DefaultSort;
    }

    public sealed record Row(int Id, string FirstName, string LastName, string Email, bool EmailConfirmed, DateTimeOffset? LastLoginAt)
    {
        public string Name => $"{FirstName} {LastName}".Trim();
    }

    internal sealed class Handler(PortalDbContext db, IPeopleSearch search) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var users = search.Users(db.Users.AsNoTracking(), query.Search);
            var total = await users.CountUpToLimitAsync(cancellationToken);
            if (query.SortKey == DefaultSort)
            {
                // By id, the list is read from the key: the thousandth page costs what the first does.
                return await users.ReadByKeyAsync(u => u.Id, Project, row => row.Id, query.Descending, IdKey.Parse, query.Page, query.PageSize, total, cancellationToken);
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
                _ => users.OrderByDescending(u => u.LastLoginAt).ThenBy(u => u.Id),
            };

            return await Keyset.ReadByPositionAsync(Project(users), query.Page, query.PageSize, total, cancellationToken);
        }

        private static IQueryable<Row> Project(IQueryable<User> users) =>
            users.Select(u => new Row(u.Id, u.FirstName, u.LastName, u.Email ?? "", u.EmailConfirmed, u.LastLoginAt));
    }
}
