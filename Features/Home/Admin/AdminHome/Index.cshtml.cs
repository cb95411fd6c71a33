using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Features.Home;

public sealed class AdminHomePage(ISender sender, AdminHome.MenuCounts menuCounts) : PageModel
{
    public AdminHome.Summary Summary { get; private set; } = null!;

    public AdminHome.WorkQueues Queues { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Summary = await sender.Send(new AdminHome.Query(), cancellationToken);
        Queues = await sender.Send(new AdminHome.Queues(), cancellationToken);
        menuCounts.Remember(Queues);
    }
}
