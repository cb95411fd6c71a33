using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing.Services;

[RequirePermission(Permission.Products)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Paged<ListServices.Row> Services { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Services = await sender.Send(new ListServices.Query(account.RequireAccount().ClientId, PageNumber), cancellationToken);
}
