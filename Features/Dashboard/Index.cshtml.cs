using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Dashboard;

/// <summary>The home of the active account: which account this is and what the user may do in it.</summary>
[RequireAccount]
public sealed class IndexModel(AccountContext account, Infrastructure.Data.SystemSettings settings, Mediator.ISender sender) : PageModel
{
    public Billing.Shared.BillingCounts Billing { get; private set; } = null!;

    public ActiveAccount Active => account.RequireAccount();

    public bool ManagesUsers { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ManagesUsers = Active.MayManageUsers(await settings.GetAsync(cancellationToken));
        Billing = await sender.Send(new DashboardSummary.Query(Active.ClientId), cancellationToken);
    }

    public string FirstName => account.FirstName;
}
