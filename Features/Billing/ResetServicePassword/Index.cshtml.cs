using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[RequirePermission(Permission.ManageProducts)]
[Identity.RequiresRecentProof]
public sealed class ResetServicePasswordPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    public ResetServicePassword.Target Service { get; private set; } = null!;

    /// <summary>The new password, on the response to the reset only: it is not shown again by this page.</summary>
    public string? NewPassword { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        NewPassword = await sender.Send(new ResetServicePassword.Command(account.RequireAccount().ClientId, ServiceId), cancellationToken);
        return Page();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ResetServicePassword.Query(account.RequireAccount().ClientId, ServiceId), cancellationToken) is not { } service)
        {
            return false;
        }

        Service = service;
        return true;
    }
}
