using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Settings;

namespace Portal.Features.Home;

/// <summary>The home of the active account: which account this is, the user's role, and a tile for each area they may open.</summary>
[RequireAccount]
public sealed class DashboardPage(AccountContext account, SystemSettings settings, ISender sender) : PageModel
{
    public DashboardSummary.Summary Summary { get; private set; } = null!;

    public ActiveAccount Active => account.RequireAccount();

    public bool ManagesUsers { get; private set; }

    public string FirstName => account.FirstName;

    public string Email => account.Email;

    /// <summary>Ownership transfers offered to this user, in any of their accounts, waiting for them to accept.</summary>
    public IReadOnlyList<Portal.Features.Membership.AcceptTransfer.Offer> OwnershipOffers { get; private set; } = [];

    /// <summary>The user's identity verification, when orders of theirs wait for it.</summary>
    public Portal.Features.Identity.IdentityVerificationStatus? MyVerification { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ManagesUsers = Active.MayManageUsers(await settings.GetAsync(cancellationToken));
        Summary = await sender.Send(
            new DashboardSummary.Query(Active.ClientId, account.UserId, Active.Permissions, Active.IsOwner, ManagesUsers), cancellationToken);
        OwnershipOffers = await sender.Send(new Portal.Features.Membership.AcceptTransfer.MineQuery(), cancellationToken);
        if (Summary.MustVerifyIdentity)
        {
            MyVerification = await sender.Send(new Portal.Features.Identity.VerifyIdentity.StatusQuery(), cancellationToken);
        }
    }
}
