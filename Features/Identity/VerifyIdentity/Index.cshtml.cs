using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[RequireSignedIn]
[UploadLimit(RequestMax, IdentityDocument.TooLarge)]
public sealed class VerifyIdentityPage(ISender sender) : PortalPage
{
    /// <summary>The largest request the page reads: the largest document with room for the form around it.</summary>
    public const long RequestMax = IdentityDocument.MaxBytes + 64 * 1024;

    [BindProperty]
    public VerifyIdentity.Command Input { get; set; } = new();

    public IdentityVerificationStatus Status { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success("Thank you: your document was received. We will review it and tell you by e-mail.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Status = await sender.Send(new VerifyIdentity.StatusQuery(), cancellationToken);
        return true;
    }
}
