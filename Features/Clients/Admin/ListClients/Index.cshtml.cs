using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Clients;

public sealed class ListClientsPage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public ClientStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Dir { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Older { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Newer { get; set; }

    public KeysetPage<ListClients.Row> Clients { get; private set; } = null!;

    public string SortKey { get; private set; } = ListClients.DefaultSort;

    public bool Descending => Dir == "desc";

    public IEnumerable<KeyValuePair<string, string?>> Filters =>
        [new("q", Search), new("status", Status?.ToString()), new("sort", SortKey), new("dir", Descending ? "desc" : "asc")];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Status = null;
        }

        var search = Search is { Length: > 200 } ? Search[..200] : Search;
        var query = new ListClients.Query(search, Status, new PageRequest(Older, Newer), Sort, Descending);
        SortKey = query.SortKey;
        Clients = await sender.Send(query, cancellationToken);
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

        if (Status is { } status)
        {
            query.Add("status", status.ToString());
        }

        return "/admin/clients" + query.ToQueryString();
    }

    public string? AriaSort(string key) => SortKey == key ? (Descending ? "descending" : "ascending") : null;
}
