using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

public sealed class ManageUsersPage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Dir { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Older { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Newer { get; set; }

    public KeysetPage<ListUsers.Row> Users { get; private set; } = null!;

    public string SortKey { get; private set; } = ListUsers.DefaultSort;

    public bool Descending => Dir == "desc";

    public IEnumerable<KeyValuePair<string, string?>> Filters => [new("q", Search), new("sort", SortKey), new("dir", Descending ? "desc" : "asc")];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var search = Search is { Length: > 200 } ? Search[..200] : Search;
        var query = new ListUsers.Query(search, Sort, Descending, new PageRequest(Older, Newer));
        SortKey = query.SortKey;
        Users = await sender.Send(query, cancellationToken);
    }

    /// <summary>The link a column header points to: sorts by that column, reversing the order when it is already the sort.</summary>
    public string SortLink(string key)
    {
        var dir = SortKey == key && !Descending ? "desc" : "asc";
        var query = new Microsoft.AspNetCore.Http.Extensions.QueryBuilder { { "sort", key }, { "dir", dir } };
        if (!string.IsNullOrEmpty(Search))
        {
            query.Add("q", Search);
        }

        return "/admin/users" + query.ToQueryString();
    }

    public string? AriaSort(string key) => SortKey == key ? (Descending ? "descending" : "ascending") : null;
}
