using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Emails.ListEmails;

[RequirePermission(Permission.Emails)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Paged<ListEmails.Row> Emails { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Emails = await sender.Send(new ListEmails.Query(account.RequireAccount().ClientId, PageNumber), cancellationToken);
}
