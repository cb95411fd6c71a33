using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

public sealed class ManageUserPage(ISender sender) : AdminUserPage(sender)
{
    [BindProperty]
    public UpdateUser.Command Input { get; set; } = new();

    public void OnGet() => Input = new UpdateUser.Command { FirstName = Details.FirstName, LastName = Details.LastName, Email = Details.Email };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.UserId = Id;
        await Sender.Send(Input, cancellationToken);
        TempData.Success("The user's details have been saved.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostSendResetAsync(CancellationToken cancellationToken)
    {
        await Sender.Send(new ForgotPassword.Command { Email = Details.Email }, cancellationToken);
        TempData.Success($"A password reset email has been sent to {Details.Email}.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostVerifyIdentityAsync(CancellationToken cancellationToken)
    {
        await Sender.Send(new Billing.MarkIdentityVerified.Command(Id), cancellationToken);
        TempData.Success($"{Details.Name} is now identity verified.");
        return RedirectToPage(new { id = Id });
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostDisableTwoFactorAsync(bool confirm, CancellationToken cancellationToken)
    {
        await Sender.Send(new DisableUserTwoFactor.Command(Id) { Confirm = confirm }, cancellationToken);
        TempData.Success($"Two-factor authentication of {Details.Name} is off; they have been told by e-mail.");
        return RedirectToPage(new { id = Id });
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostEndSessionAsync(string? session, CancellationToken cancellationToken)
    {
        await Sender.Send(new EndSession.Command(Id, session), cancellationToken);
        TempData.Success("The session has been ended.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostEndSessionsAsync(CancellationToken cancellationToken)
    {
        var ended = await Sender.Send(new EndSessions.Command(Id), cancellationToken);
        TempData.Success($"The user has been signed out everywhere ({Plural.Of(ended, "session")} ended).");
        return RedirectToPage(new { id = Id });
    }
}
