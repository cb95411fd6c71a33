using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Mediator;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Clients;

/// <summary>
/// The admin's list of client accounts: search by name, company or e-mail (any part, any case, accents or not), filter
/// by status, sort by a column, paged from the last row shown (its sort value and id) rather than by counting rows.
/// </summary>
public static class ListClients
{
    public static readonly IReadOnlyList<string> SortKeys = ["id", "name", "company", "email", "users", "status", "created"];

    public const string DefaultSort = "id";

    public sealed record Query(string? Search, ClientStatus? Status, PageRequest Page, string? Sort = null, bool Descending = false) : IQuery<KeysetPage<Row>>
    {
        /// <summary>The sort key to use: one of <see cref="SortKeys"/>, anything else falls back to the id.</summary>
        public string SortKey => Sort is not null && SortKeys.Contains(Sort.ToLowerInvariant()) ? Sort.ToLowerInvariant() : DefaultSort;
    }

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

            var total = await clients.CountUpToLimitAsync(cancellationToken);
            if (query.SortKey == DefaultSort)
            {
                return await clients.ReadByKeyAsync(c => c.Id, Project, row => row.Id, query.Descending, IdKey.Parse, query.Page, Paging.DefaultPageSize, total, cancellationToken);
            }

            return query.SortKey switch
            {
                "name" => await By(c => c.LastName + " " + c.FirstName, r => r.LastName + " " + r.FirstName, TextKey.Write, TextKey.Read),
                "company" => await By(c => c.CompanyName ?? "", r => r.CompanyName ?? "", TextKey.Write, TextKey.Read),
                "email" => await By(c => c.Email, r => r.Email, TextKey.Write, TextKey.Read),
                "users" => await By(c => c.Users.Count, r => r.Users, NumberKey.Write, NumberKey.Read),
                "status" => await By(StatusRank, r => (int)r.Status, NumberKey.Write, NumberKey.Read),
                _ => await By(c => c.CreatedAt, r => r.CreatedAt, TicksKey.Write, TicksKey.Read),
            };

            Task<KeysetPage<Row>> By<TValue>(Expression<Func<Client, TValue>> column, Func<Row, TValue> valueOf, Func<TValue, string> write, Func<string, Boundary<TValue>?> read) =>
                ReadSortedAsync(clients, query, total, column, valueOf, write, read, cancellationToken);
        }

        /// <summary>
        /// The status as its place in <see cref="ClientStatus"/> (Active, Inactive, Closed): the column holds the name,
        /// which would sort alphabetically and cannot be compared as a number.
        /// </summary>
        private static readonly Expression<Func<Client, int>> StatusRank =
            c => c.Status == ClientStatus.Closed ? (int)ClientStatus.Closed : c.Status == ClientStatus.Inactive ? (int)ClientStatus.Inactive : (int)ClientStatus.Active;

        /// <summary>
        /// A page sorted by <paramref name="column"/> then id, both in the chosen direction: the key in the links is
        /// the last (or first) row's value and id, so the next page starts right after it.
        /// </summary>
        private static Task<KeysetPage<Row>> ReadSortedAsync<TValue>(
            IQueryable<Client> clients,
            Query query,
            ListCount total,
            Expression<Func<Client, TValue>> column,
            Func<Row, TValue> valueOf,
            Func<TValue, string> write,
            Func<string, Boundary<TValue>?> read,
            CancellationToken cancellationToken) =>
            Keyset.ReadAsync(
                query.Page,
                Paging.DefaultPageSize,
                key => Project(Ordered(key is { } k ? clients.Where(Beyond(column, k, query.Descending)) : clients, column, query.Descending)),
                key => Project(Ordered(clients.Where(Beyond(column, key, !query.Descending)), column, !query.Descending)),
                text => SortedKey<TValue>.Parse(text, read),
                row => new SortedKey<TValue>(valueOf(row), row.Id).ToString(write),
                total,
                cancellationToken);

        private static IQueryable<Client> Ordered<TValue>(IQueryable<Client> clients, Expression<Func<Client, TValue>> column, bool descending) =>
            descending ? clients.OrderByDescending(column).ThenByDescending(c => c.Id) : clients.OrderBy(column).ThenBy(c => c.Id);

        /// <summary>Rows after the key in the order: (value, id) greater than the key's, or less when descending.</summary>
        private static Expression<Func<Client, bool>> Beyond<TValue>(Expression<Func<Client, TValue>> column, SortedKey<TValue> key, bool descending)
        {
            var client = column.Parameters[0];
            var value = column.Body;
            Expression boundary = Expression.Property(Expression.Constant(new Boundary<TValue>(key.Value)), nameof(Boundary<TValue>.Value));
            Expression id = Expression.Property(client, nameof(Client.Id));
            Expression boundaryId = Expression.Property(Expression.Constant(new Boundary<int>(key.Id)), nameof(Boundary<int>.Value));
            if (typeof(TValue) == typeof(string))
            {
                // Strings compare through string.Compare, which the database runs as its own < and >.
                value = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, value, boundary);
                boundary = Expression.Constant(0);
            }

            var past = descending ? Expression.LessThan(value, boundary) : Expression.GreaterThan(value, boundary);
            var tie = Expression.AndAlso(
                Expression.Equal(value, boundary),
                descending ? Expression.LessThan(id, boundaryId) : Expression.GreaterThan(id, boundaryId));
            return Expression.Lambda<Func<Client, bool>>(Expression.OrElse(past, tie), client);
        }

        private static IQueryable<Row> Project(IQueryable<Client> clients) =>
            clients.Select(c => new Row(c.Id, c.FirstName, c.LastName, c.CompanyName, c.Email, c.Status, c.Owner.Email ?? "", c.Users.Count, c.CreatedAt));
    }

    /// <summary>Holds a key's value so the query sends it as a parameter, not as text in the SQL.</summary>
    private sealed record Boundary<T>(T Value);

    /// <summary>A row's place in a sorted list, written in links as "id.value".</summary>
    private readonly record struct SortedKey<TValue>(TValue Value, int Id)
    {
        public string ToString(Func<TValue, string> write) => $"{Id.ToString(CultureInfo.InvariantCulture)}.{write(Value)}";

        public static SortedKey<TValue>? Parse(string? text, Func<string, Boundary<TValue>?> read)
        {
            var dot = text?.IndexOf('.') ?? -1;
            return dot > 0 && IdKey.Parse(text![..dot]) is { } id && read(text[(dot + 1)..]) is { } value
                ? new SortedKey<TValue>(value.Value, id)
                : null;
        }
    }

    private static class TextKey
    {
        public static string Write(string value) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(value));

        public static Boundary<string>? Read(string text)
        {
            try
            {
                return new(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(text)));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private static class NumberKey
    {
        public static string Write(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static Boundary<int>? Read(string text) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? new(value) : null;
    }

    private static class TicksKey
    {
        public static string Write(DateTimeOffset value) => value.UtcTicks.ToString(CultureInfo.InvariantCulture);

        public static Boundary<DateTimeOffset>? Read(string text) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new(new DateTimeOffset(ticks, TimeSpan.Zero))
                : null;
    }
}
