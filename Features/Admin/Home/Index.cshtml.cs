using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Features.Admin.Home;

public sealed class IndexModel(ISender sender) : PageModel
{
    public int Clients { get; private set; }
    public int Users { get; private set; }
    public int PendingInvitations { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        (Clients, Users, PendingInvitations) = await sender.Send(new AdminHome.Query(), cancellationToken);
}
