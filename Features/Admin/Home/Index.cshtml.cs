using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Admin.Home;

public sealed class IndexModel(PortalDbContext db) : PageModel
{
    public int Clients { get; private set; }
    public int Users { get; private set; }
    public int PendingInvitations { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clients = await db.Clients.CountAsync(cancellationToken);
        Users = await db.Users.CountAsync(cancellationToken);
        PendingInvitations = await db.Invitations.CountAsync(i => i.Status == InvitationStatus.Pending, cancellationToken);
    }
}
