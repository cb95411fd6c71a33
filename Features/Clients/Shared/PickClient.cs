using System.Globalization;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Clients;

/// <summary>
/// Turns what an admin typed in a "Client" box into one client: an id ("12" or "#12", or a chosen client's label,
/// which ends in its id) that must exist, or a name, company or e-mail that the client search matches exactly once.
/// Several matches are offered to choose from, never guessed.
/// </summary>
public static partial class PickClient
{
    /// <summary>How many matches are offered at most; more means the admin should type more.</summary>
    public const int MaxChoices = 10;

    public const int MaxLength = 200;

    public sealed record Query(string? Text) : IQuery<Result>;

    public sealed record Choice(int Id, string FirstName, string LastName, string? CompanyName, string Email)
    {
        public string Name => Client.DisplayNameOf(FirstName, LastName, CompanyName);

        /// <summary>What the box shows once this client is chosen; it reads back as this client (it ends in the id).</summary>
        public string Label => $"{Name} · {Email} · #{Id.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <param name="Chosen">The one client the text names, if it names exactly one.</param>
    /// <param name="Matches">When several clients match: up to <see cref="MaxChoices"/> of them to choose from.</param>
    /// <param name="Problem">Why no client was chosen from a non-empty text.</param>
    public sealed record Result(string? Text, Choice? Chosen, IReadOnlyList<Choice> Matches, string? Problem)
    {
        public int? ClientId => Chosen?.Id;

        /// <summary>The text asked for no client (an empty box).</summary>
        public bool IsEmpty => Chosen is null && Problem is null;

        /// <summary>What the box shows: the chosen client's label, else what was typed.</summary>
        public string? Value => Chosen?.Label ?? Text;

        public static Result Empty { get; } = new(null, null, [], null);
    }

    [GeneratedRegex(@"^\s*#?(?<id>\d+)\s*$|#(?<id>\d+)\s*$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex IdPattern();

    internal sealed class Handler(PortalDbContext db, IPeopleSearch search) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var text = query.Text?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return Result.Empty;
            }

            if (text.Length > MaxLength)
            {
                return new Result(text[..MaxLength], null, [], $"Type at most {MaxLength} characters to find a client.");
            }

            var clients = db.Clients.AsNoTracking();
            if (IdPattern().Match(text) is { Success: true } id)
            {
                var number = id.Groups["id"].Value;
                var found = int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var clientId)
                    ? await Project(clients.Where(c => c.Id == clientId)).FirstOrDefaultAsync(cancellationToken)
                    : null;
                return found is null
                    ? new Result(text, null, [], $"There is no client #{number}.")
                    : new Result(text, found, [], null);
            }

            var matches = await Project(search.Clients(clients, text).OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id))
                .Take(MaxChoices + 1)
                .ToListAsync(cancellationToken);
            return matches.Count switch
            {
                0 => new Result(text, null, [], $"No client matches \"{text}\". Type part of a name, company or e-mail address, or a client number."),
                1 => new Result(text, matches[0], [], null),
                > MaxChoices => new Result(text, null, matches.Take(MaxChoices).ToList(), $"More than {MaxChoices} clients match \"{text}\". Choose one of these or type more of the name, company or e-mail address."),
                _ => new Result(text, null, matches, $"{matches.Count} clients match \"{text}\". Choose one."),
            };
        }

        private static IQueryable<Choice> Project(IQueryable<Client> clients) =>
            clients.Select(c => new Choice(c.Id, c.FirstName, c.LastName, c.CompanyName, c.Email));
    }
}
