using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ManageUser;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [BindProperty]
    public UpdateUser.Command Input { get; set; } = new();

    [FromRoute]
    public int Id { get; set; }

    public UserDetails.Result Details { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input = new UpdateUser.Command { FirstName = Details.FirstName, LastName = Details.LastName, Email = Details.Email };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.UserId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success("The user's details have been saved.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostSendResetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        await sender.Send(new ForgotPassword.ForgotPassword.Command { Email = Details.Email }, cancellationToken);
        TempData.Success($"A password reset email has been sent to {Details.Email}.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostEndSessionsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var ended = await sender.Send(new EndSessions.Command(Id), cancellationToken);
        TempData.Success($"The user has been signed out everywhere ({ended} session(s) ended).");
        return RedirectToPage(new { id = Id });
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new UserDetails.Query(Id), cancellationToken) is not { } details)
        {
            return false;
        }

        Details = details;
        return true;
    }
}
