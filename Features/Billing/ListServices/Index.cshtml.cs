using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Billing;

[RequirePermission(Permission.Products)]
public sealed class ListServicesPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }

    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public KeysetPage<ListServices.Row> Services { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Services = await sender.Send(new ListServices.Query(account.RequireAccount().ClientId, new PageRequest(Older, Newer)), cancellationToken);
}
