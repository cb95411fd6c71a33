using Mediator;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;

namespace Portal.Features.Activity;

public sealed class ActivityLogPage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? ClientId { get; set; }
    [BindProperty(SupportsGet = true)] public int? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public int? AdminId { get; set; }
    [BindProperty(SupportsGet = true, Name = "client")] public string? ClientSearch { get; set; }
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserSearch { get; set; }
    [BindProperty(SupportsGet = true, Name = "admin")] public string? AdminSearch { get; set; }
    [BindProperty(SupportsGet = true)] public string? Text { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }
    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public ListActivity.Result Log { get; private set; } = null!;

    public IEnumerable<KeyValuePair<string, string?>> Filters =>
    [
        new("clientId", ClientId?.ToString()), new("userId", UserId?.ToString()), new("adminId", AdminId?.ToString()),
        new("client", ClientId is null ? ClientSearch : null), new("user", UserId is null ? UserSearch : null), new("admin", AdminId is null ? AdminSearch : null),
        new("text", Text), new("from", From?.ToString("yyyy-MM-dd")), new("to", To?.ToString("yyyy-MM-dd")),
    ];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Log = await sender.Send(
            new ListActivity.Query(ClientId, UserId, AdminId, Short(Text), From, To, new PageRequest(Older, Newer), Short(ClientSearch), Short(UserSearch), Short(AdminSearch)),
            cancellationToken);
    }

    /// <summary>
    /// This log with one filter changed: <paramref name="name"/> (a search or an id) removed, and, when picking a person
    /// from a search's matches, their id (<paramref name="idKey"/>) set instead. Always the first page.
    /// </summary>
    public string LinkWithout(string name, string? idKey = null, int? id = null)
    {
        var query = new QueryBuilder(Filters
            .Where(f => !string.IsNullOrEmpty(f.Value) && f.Key != name && f.Key != idKey)
            .Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
        if (idKey is not null && id is { } value)
        {
            query.Add(idKey, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return "/admin/activity" + query.ToQueryString();
    }

    public PersonFilterView ClientFilter => View("client", "clientId", "Client", "name, company or email", "client", Log.Client, ClientSearch);

    public PersonFilterView UserFilter => View("user", "userId", "User", "name or email", "user", Log.User, UserSearch);

    public PersonFilterView AdminFilter => View("admin", "adminId", "Admin", "name or email", "admin", Log.Admin, AdminSearch);

    private PersonFilterView View(string name, string idName, string label, string hint, string noun, ListActivity.PersonFilter filter, string? typed) =>
        new(name, idName, label, hint, noun, filter, typed, LinkWithout(idName), [.. filter.Matches.Select(p => new PersonFilterView.Pick(p, LinkWithout(name, idName, p.Id)))]);

    private static string? Short(string? text) => text is { Length: > 200 } ? text[..200] : text;
}

/// <summary>One name filter of the log as the form shows it: the chosen person with a way back to everyone, or a search box and its matches to pick from.</summary>
public sealed record PersonFilterView(
    string Name,
    string IdName,
    string Label,
    string Hint,
    string Noun,
    ListActivity.PersonFilter Filter,
    string? Typed,
    string ShowAllLink,
    IReadOnlyList<PersonFilterView.Pick> Picks)
{
    public sealed record Pick(ListActivity.Person Person, string Link);
}
