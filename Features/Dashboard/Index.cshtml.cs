using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Dashboard;

/// <summary>The home of the active account: which account this is and what the user may do in it.</summary>
[RequireAccount]
public sealed class IndexModel(AccountContext account, Infrastructure.Data.SystemSettings settings) : PageModel
{
    public ActiveAccount Active => account.RequireAccount();

    public bool ManagesUsers { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        ManagesUsers = Active.MayManageUsers(await settings.GetAsync(cancellationToken));

    public string FirstName => account.FirstName;
}
