using Mediator;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Activity;

[RequireOwner]
public sealed class AccountActivityPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Text { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }
    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public ActivityPage<AccountActivity.Row> Log { get; private set; } = null!;

    public IEnumerable<KeyValuePair<string, string?>> Filters =>
        [new("text", Text), new("from", From?.ToString("yyyy-MM-dd")), new("to", To?.ToString("yyyy-MM-dd"))];

    public string ExportUrl =>
        "/account/activity" + new QueryBuilder(Filters.Prepend(new("handler", "Csv")).Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => KeyValuePair.Create(f.Key, f.Value!))).ToQueryString();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Log = await sender.Send(new AccountActivity.Query(account.RequireAccount().ClientId, Filter, new PageRequest(Older, Newer)), cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var csv = await sender.Send(new AccountActivity.Export(account.RequireAccount().ClientId, Filter), cancellationToken);
        return new StreamedText(csv.FileName, "text/csv; charset=utf-8", csv.Lines);
    }

    private AccountActivity.Filter Filter => new(Text is { Length: > AccountActivity.MaxTextLength } ? Text[..AccountActivity.MaxTextLength] : Text, From, To);
}
