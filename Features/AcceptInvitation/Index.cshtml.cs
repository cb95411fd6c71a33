using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.AcceptInvitation;

/// <summary>
/// The invitation link. Signed in: one Accept button. Signed out: log in, or create a login, and accept in the same
/// step. Expiry and state are checked on every GET and POST.
/// </summary>
[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
[ChecksPassword("Login")]
public sealed class IndexModel(ISender sender, AccountContext account, ClientSignIn signIn) : PageModel, IReloadOnInvalid
{
    /// <summary>The link's secret, kept out of the request path by <see cref="TokenPathRedaction"/>.</summary>
    public string? Token => TokenPathRedaction.TokenOf(HttpContext);

    [BindProperty]
    public AcceptInvitation.Register Input { get; set; } = new();

    [BindProperty]
    public Login.Login.Command LoginInput { get; set; } = new();

    public AcceptInvitation.View? Invitation { get; private set; }

    public bool IsSignedIn => account.IsSignedIn;

    public string SignedInEmail => account.Email;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Neutral();
        }

        Input = new AcceptInvitation.Register { Email = Invitation!.InvitedEmail };
        LoginInput = new Login.Login.Command { Email = Invitation.InvitedEmail };
        return Page();
    }

    public async Task<IActionResult> OnPostAcceptAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Neutral();
        }

        if (!account.IsSignedIn)
        {
            return LocalRedirect($"/invite/{Uri.EscapeDataString(Token ?? "")}");
        }

        return await AcceptAsUserAsync(account.UserId, cancellationToken);
    }

    public async Task<IActionResult> OnPostLoginAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Neutral();
        }

        Login.Login.Result result;
        try
        {
            result = await sender.Send(LoginInput, cancellationToken);
        }
        catch (ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                ModelState.AddModelError($"{nameof(LoginInput)}.{error.PropertyName}", error.ErrorMessage);
            }

            return Page();
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError($"{nameof(LoginInput)}.Password", Login.Login.Failure);
            return Page();
        }

        return await AcceptAsUserAsync(result.UserId!.Value, cancellationToken);
    }

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Neutral();
        }

        var userId = await sender.Send(Input, cancellationToken);
        var result = await AcceptAsUserAsync(userId, cancellationToken);

        // Accepting with the invited address verified it; any other address gets the usual verification link.
        await sender.Send(new VerifyEmail.VerifyEmail.SendLink(userId), cancellationToken);
        return result;
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<IActionResult> AcceptAsUserAsync(int userId, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new AcceptInvitation.Command(Token, userId), cancellationToken);
        switch (result.Outcome)
        {
            case AcceptInvitation.Outcome.Accepted:
                await signIn.SwitchAccountAsync(result.ClientId);
                TempData.Success($"Welcome to {result.ClientName}! You now have access to this account.");
                return RedirectToPage("/Dashboard/Index");
            case AcceptInvitation.Outcome.AlreadyMember:
                TempData.Warning($"You already have access to {result.ClientName}. Nothing was changed.");
                return RedirectToPage("/ChooseAccount/Index");
            case AcceptInvitation.Outcome.WrongEmail:
                TempData.Warning($"This invitation to {result.ClientName} was sent to another email address, and only that address may accept it. Log in with that address, or ask for a new invitation.");
                return RedirectToPage("/ChooseAccount/Index");
            default:
                return Neutral();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Invitation = await sender.Send(new AcceptInvitation.Query(Token), cancellationToken);
        return Invitation is not null;
    }

    private PageResult Neutral()
    {
        Invitation = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
