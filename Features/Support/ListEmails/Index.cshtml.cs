using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Support;

[RequirePermission(Permission.Emails)]
public sealed class ListEmailsPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }

    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public KeysetPage<ListEmails.Row> Emails { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Emails = await sender.Send(new ListEmails.Query(account.RequireAccount().ClientId, new PageRequest(Older, Newer)), cancellationToken);
}
