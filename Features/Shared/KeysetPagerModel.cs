using Microsoft.AspNetCore.Http.Extensions;

namespace Portal.Features.Shared;

/// <summary>The Newer and Older links of a keyset-paged list, keeping its filters; a list by id calls them Previous and Next.</summary>
public sealed record KeysetPagerModel(string? Newer, string? Older, string Path, IEnumerable<KeyValuePair<string, string?>> Filters, string NewerLabel = "Newer", string OlderLabel = "Older")
{
    public const string OlderKey = "older";
    public const string NewerKey = "newer";

    public bool IsNeeded => Newer is not null || Older is not null;

    public string? NewerLink => Newer is null ? null : LinkTo(NewerKey, Newer);

    public string? OlderLink => Older is null ? null : LinkTo(OlderKey, Older);

    private string LinkTo(string key, string value)
    {
        var query = new QueryBuilder(Filters
            .Where(f => !string.IsNullOrEmpty(f.Value) && f.Key is not (OlderKey or NewerKey or "p"))
            .Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)))
        {
            { key, value },
        };
        return Path + query.ToQueryString();
    }
}
