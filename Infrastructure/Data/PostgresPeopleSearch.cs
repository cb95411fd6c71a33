using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Features.Clients;

namespace Portal.Infrastructure.Data;

/// <summary>
/// PostgreSQL: terms of three characters or more are looked up in the trigram indexes over folded text
/// (<see cref="PostgresSearchIndexes"/>), shorter ones scanned, as SQLite does with its FTS5 indexes.
/// </summary>
internal sealed class PostgresPeopleSearch(PortalDbContext db) : IPeopleSearch
{
    public IQueryable<User> Users(IQueryable<User> users, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (terms.Indexed.ToList() is { Count: > 0 } indexed)
        {
            var ids = db.Database.SqlQuery<int>(PostgresSearchIndexes.Matching("AspNetUsers", PostgresSearchIndexes.UserText, indexed));
            users = users.Where(u => ids.Contains(u.Id));
        }

        return ScanningPeopleSearch.UsersContaining(users, terms.Short);
    }

    public IQueryable<Client> Clients(IQueryable<Client> clients, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (terms.Indexed.ToList() is { Count: > 0 } indexed)
        {
            var ids = db.Database.SqlQuery<int>(PostgresSearchIndexes.Matching("Clients", PostgresSearchIndexes.ClientText, indexed));
            clients = clients.Where(c => ids.Contains(c.Id));
        }

        return ScanningPeopleSearch.ClientsContaining(clients, terms.Short);
    }
}
