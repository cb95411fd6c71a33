using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

[RequireSignedIn]
public sealed class ContinueAsPage(ISender sender) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public int ClientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public ContinueAs.Account Target { get; private set; } = null!;

    /// <summary>Where the link leads, once switched: a path on this site only.</summary>
    public string Destination => LocalUrl.OrDefault(ReturnUrl);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = await sender.Send(new SwitchAccount.Command(ClientId), cancellationToken);
        TempData.Success($"You are now working in {name}.");
        return LocalRedirect(Destination);
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ContinueAs.Query(ClientId), cancellationToken) is not { } target)
        {
            return false;
        }

        Target = target;
        return true;
    }
}
