using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[AccountObject<Service>]
[RequirePermission(Permission.Products)]
public sealed class ViewServicePage(ISender sender, AccountContext account, Identity.RecentProof proof) : PortalPage
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    public ViewService.Details Service { get; private set; } = null!;

    public bool MayManageLogin => account.RequireAccount().Has(Permission.ManageProducts);

    public bool MayOrder => account.RequireAccount().Has(Permission.Orders);

    /// <summary>The login is shown only after a recent proof of who is asking (step-up); until then, a way to give one.</summary>
    public bool LoginAwaitsProof { get; private set; }

    public void OnGet()
    {
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var showLogin = MayManageLogin && await proof.IsFreshAsync(cancellationToken);
        LoginAwaitsProof = MayManageLogin && !showLogin;
        if (await sender.Send(new ViewService.Query(account.RequireAccount().ClientId, ServiceId, showLogin), cancellationToken) is not { } service)
        {
            return false;
        }

        Service = service;
        return true;
    }
}
