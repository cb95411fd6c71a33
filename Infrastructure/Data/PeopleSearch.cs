using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Features.Clients;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Finding users and client accounts by what an admin remembers of them: part of a name, a company or an e-mail
/// address, in any case and with or without accents. Each word or "quoted phrase" typed must appear.
/// </summary>
public interface IPeopleSearch
{
    IQueryable<User> Users(IQueryable<User> users, string? text);

    IQueryable<Client> Clients(IQueryable<Client> clients, string? text);
}

/// <summary>SQLite: terms of three characters or more are looked up in the FTS5 trigram indexes, shorter ones scanned.</summary>
internal sealed class SqlitePeopleSearch(PortalDbContext db) : IPeopleSearch
{
    public IQueryable<User> Users(IQueryable<User> users, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (FullTextIndexes.RowIds<int>(db, FullTextIndexes.Users, terms) is { } ids)
        {
            users = users.Where(u => ids.Contains(u.Id));
        }

        return ScanningPeopleSearch.UsersContaining(users, terms.Short);
    }

    public IQueryable<Client> Clients(IQueryable<Client> clients, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (FullTextIndexes.RowIds<int>(db, FullTextIndexes.Clients, terms) is { } ids)
        {
            clients = clients.Where(c => ids.Contains(c.Id));
        }

        return ScanningPeopleSearch.ClientsContaining(clients, terms.Short);
    }
}

/// <summary>Any other database, until it has an index of its own: the same matching by a scan (accents not folded).</summary>
internal sealed class ScanningPeopleSearch : IPeopleSearch
{
    public IQueryable<User> Users(IQueryable<User> users, string? text) => UsersContaining(users, SearchTerms.Parse(text).All);

    public IQueryable<Client> Clients(IQueryable<Client> clients, string? text) => ClientsContaining(clients, SearchTerms.Parse(text).All);

    internal static IQueryable<User> UsersContaining(IQueryable<User> users, IEnumerable<string> terms)
    {
        foreach (var term in terms)
        {
            var pattern = Search.ContainsPattern(term);
            users = users.Where(u =>
                EF.Functions.Like(u.FirstName.ToLower(), pattern, Search.Escape) || EF.Functions.Like(u.LastName.ToLower(), pattern, Search.Escape)
                || EF.Functions.Like(u.Email!.ToLower(), pattern, Search.Escape));
        }

        return users;
    }

    internal static IQueryable<Client> ClientsContaining(IQueryable<Client> clients, IEnumerable<string> terms)
    {
        foreach (var term in terms)
        {
            var pattern = Search.ContainsPattern(term);
            clients = clients.Where(c =>
                EF.Functions.Like(c.FirstName.ToLower(), pattern, Search.Escape) || EF.Functions.Like(c.LastName.ToLower(), pattern, Search.Escape)
                || (c.CompanyName != null && EF.Functions.Like(c.CompanyName.ToLower(), pattern, Search.Escape))
                || EF.Functions.Like(c.Email.ToLower(), pattern, Search.Escape));
        }

        return clients;
    }
}
