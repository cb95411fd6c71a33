using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ActivityLog;

public sealed class IndexModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? ClientId { get; set; }
    [BindProperty(SupportsGet = true)] public int? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public int? AdminId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Text { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }
    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public KeysetPage<ListActivity.Row> Entries { get; private set; } = null!;

    public IEnumerable<KeyValuePair<string, string?>> Filters =>
    [
        new("clientId", ClientId?.ToString()), new("userId", UserId?.ToString()), new("adminId", AdminId?.ToString()),
        new("text", Text), new("from", From?.ToString("yyyy-MM-dd")), new("to", To?.ToString("yyyy-MM-dd")),
    ];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var text = Text is { Length: > 200 } ? Text[..200] : Text;
        Entries = await sender.Send(new ListActivity.Query(ClientId, UserId, AdminId, text, From, To, new PageRequest(Older, Newer)), cancellationToken);
    }
}
