using System.Linq.Expressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Web;
using Portal.Features.Identity;
using Portal.Features.Clients;

namespace Portal.Features.Activity;

/// <summary>
/// The activity log: every event with its actor, newest first, filtered by text, dates and by a client, user or admin
/// found by name (or named by id in a link).
/// </summary>
public static class ListActivity
{
    /// <summary>How many people a name search offers to pick from; the log itself covers every match.</summary>
    public const int MatchesShown = 8;

    public sealed record Query(
        int? ClientId,
        int? UserId,
        int? AdminId,
        string? Text,
        DateOnly? From,
        DateOnly? To,
        PageRequest Page,
        string? Client = null,
        string? User = null,
        string? Admin = null) : IQuery<Result>;

    public sealed record Result(ActivityPage<Row> Page, PersonFilter Client, PersonFilter User, PersonFilter Admin)
    {
        public KeysetPage<Row> Entries => Page.Entries;
    }

    public sealed record Row(long Id, DateTimeOffset At, string Description, int? ClientId, string? ClientName, int? UserId, string? UserEmail, int? AdminId, string? AdminName, string? IpAddress)
    {
        /// <summary>Entries outlive the users and admins they name: a deleted one shows by id.</summary>
        public string Actor => AdminId is not null ? $"Admin {AdminName ?? $"#{AdminId} (deleted)"}"
            : UserId is not null ? $"User {UserEmail ?? $"#{UserId} (deleted)"}"
            : IpAddress is null ? "System" : "Visitor";
    }

    /// <summary>A client, user or admin as the filters show them: a name and, to tell namesakes apart, an e-mail.</summary>
    public sealed record Person(int Id, string Name, string? Email);

    /// <summary>
    /// One of the name filters: the person chosen by id (<see cref="ChosenId"/>; <see cref="Chosen"/> is null when they
    /// were deleted since), or the people a typed name matched, each of whom can be picked.
    /// </summary>
    public sealed record PersonFilter(int? ChosenId, Person? Chosen, string? Search, IReadOnlyList<Person> Matches, bool MoreMatches)
    {
        public static readonly PersonFilter None = new(null, null, null, [], false);

        public bool MatchedNobody => Search is not null && Matches.Count == 0;
    }

    internal sealed class Handler(PortalDbContext db, IActivitySearch search, IPeopleSearch people, ViewerDates dates) : IQueryHandler<Query, Result>
    {
        public const int PageSize = 50;

        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            // The filters are gathered first and applied to whichever entries the text search reads (see ActivitySearchPlan).
            var conditions = new List<Expression<Func<ActivityLogEntry, bool>>>();

            PersonFilter client;
            if (query.ClientId is { } clientId)
            {
                conditions.Add(e => e.ClientId == clientId);
                client = await ChosenAsync(clientId, Clients(db.Clients.Where(c => c.Id == clientId)), cancellationToken);
            }
            else if (Searched(query.Client) is { } text)
            {
                var matching = people.Clients(db.Clients.AsNoTracking(), text);
                conditions.Add(e => matching.Select(c => (int?)c.Id).Contains(e.ClientId));
                client = await MatchesAsync(text, Clients(matching.OrderBy(c => c.CompanyName ?? c.LastName).ThenBy(c => c.Id)), cancellationToken);
            }
            else
            {
                client = PersonFilter.None;
            }

            PersonFilter user;
            if (query.UserId is { } userId)
            {
                conditions.Add(e => e.UserId == userId);
                user = await ChosenAsync(userId, Users(db.Users.Where(u => u.Id == userId)), cancellationToken);
            }
            else if (Searched(query.User) is { } text)
            {
                var matching = people.Users(db.Users.AsNoTracking(), text);
                conditions.Add(e => matching.Select(u => (int?)u.Id).Contains(e.UserId));
                user = await MatchesAsync(text, Users(matching.OrderBy(u => u.LastName).ThenBy(u => u.FirstName).ThenBy(u => u.Id)), cancellationToken);
            }
            else
            {
                user = PersonFilter.None;
            }

            PersonFilter admin;
            if (query.AdminId is { } adminId)
            {
                conditions.Add(e => e.AdminId == adminId);
                admin = await ChosenAsync(adminId, Admins(db.Admins.Where(a => a.Id == adminId)), cancellationToken);
            }
            else if (Searched(query.Admin) is { } text)
            {
                var matching = AdminsNamed(text);
                conditions.Add(e => matching.Select(a => (int?)a.Id).Contains(e.AdminId));
                admin = await MatchesAsync(text, Admins(matching.OrderBy(a => a.LastName).ThenBy(a => a.FirstName).ThenBy(a => a.Id)), cancellationToken);
            }
            else
            {
                admin = PersonFilter.None;
            }

            var plan = await search.PlanAsync(query.Text, cancellationToken);
            var page = await plan.ReadPageAsync(
                entries => conditions.Aggregate(entries, (filtered, condition) => filtered.Where(condition)).Between(query.From, query.To, dates.In),
                Project,
                row => MomentKey.Of(row.At, row.Id),
                query.Page,
                PageSize,
                cancellationToken);
            return new Result(page, client, user, admin);
        }

        private static string? Searched(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

        /// <summary>Admins are few: matched by a scan of name and e-mail, each word typed appearing somewhere.</summary>
        private IQueryable<Administrator> AdminsNamed(string text)
        {
            var admins = db.Admins.AsNoTracking();
            foreach (var term in SearchTerms.Parse(text).All)
            {
                var pattern = Search.ContainsPattern(term);
                admins = admins.Where(a =>
                    EF.Functions.Like(a.FirstName.ToLower(), pattern, Search.Escape) || EF.Functions.Like(a.LastName.ToLower(), pattern, Search.Escape)
                    || EF.Functions.Like(a.Email.ToLower(), pattern, Search.Escape));
            }

            return admins;
        }

        private static async Task<PersonFilter> ChosenAsync(int id, IQueryable<Person> person, CancellationToken cancellationToken) =>
            new(id, await person.FirstOrDefaultAsync(cancellationToken), null, [], false);

        private static async Task<PersonFilter> MatchesAsync(string text, IQueryable<Person> people, CancellationToken cancellationToken)
        {
            var matches = await people.Take(MatchesShown + 1).ToListAsync(cancellationToken);
            var more = matches.Count > MatchesShown;
            return new PersonFilter(null, null, text, [.. matches.Take(MatchesShown)], more);
        }

        private static IQueryable<Person> Clients(IQueryable<Client> clients) =>
            clients.Select(c => new Person(c.Id, c.CompanyName ?? c.FirstName + " " + c.LastName, c.Email));

        private static IQueryable<Person> Users(IQueryable<User> users) =>
            users.Select(u => new Person(u.Id, u.FirstName + " " + u.LastName, u.Email));

        private static IQueryable<Person> Admins(IQueryable<Administrator> admins) =>
            admins.Select(a => new Person(a.Id, a.FirstName + " " + a.LastName, a.Email));

        private IQueryable<Row> Project(IQueryable<ActivityLogEntry> entries) =>
            entries.Select(e => new Row(
                e.Id,
                e.At,
                e.Description,
                e.ClientId,
                db.Clients.Where(c => c.Id == e.ClientId).Select(c => c.CompanyName ?? c.FirstName + " " + c.LastName).FirstOrDefault(),
                e.UserId,
                db.Users.Where(u => u.Id == e.UserId).Select(u => u.Email).FirstOrDefault(),
                e.AdminId,
                db.Admins.Where(a => a.Id == e.AdminId).Select(a => a.FirstName + " " + a.LastName).FirstOrDefault(),
                e.IpAddress));
    }
}
