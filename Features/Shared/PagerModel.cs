using Microsoft.AspNetCore.Http.Extensions;

namespace Portal.Features.Shared;

public sealed record PagerModel(int Page, int PageCount, string Path, IEnumerable<KeyValuePair<string, string?>> Filters)
{
    public string LinkTo(int page)
    {
        var query = new QueryBuilder(Filters.Where(f => !string.IsNullOrEmpty(f.Value) && f.Key != "p").Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)))
        {
            { "p", Math.Max(1, page).ToString() },
        };
        return Path + query.ToQueryString();
    }
}
