using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Dashboard;

/// <summary>The home of the active account: which account this is and what the user may do in it.</summary>
[RequireAccount]
public sealed class IndexModel(AccountContext account) : PageModel
{
    public ActiveAccount Active => account.RequireAccount();

    public string FirstName => account.FirstName;
}
