using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Membership;

[RequireUserManagement]
public sealed class UserManagementPage(ISender sender, AccountContext account) : PageModel
{
    public UserManagement.Result Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Data = await sender.Send(new UserManagement.Query(account.RequireAccount().ClientId), cancellationToken);
}
