using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Identity;
using Portal.Features.Shared;

namespace Portal.Features.Membership;

/// <summary>
/// The invitation link: the account, who invited, the permissions granted. Signed in: Accept, Decline (logged, and
/// the inviter is told), and "not you? log out". Signed out: log in, or create a login, and accept in the same step.
/// Expiry and state are checked on every GET and POST.
/// </summary>
[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
[ChecksPassword("Login")]
public sealed class AcceptInvitationPage(ISender sender, AccountContext account, ClientSignIn signIn) : PortalPage
{
    /// <summary>The link's secret, kept out of the request path by <see cref="TokenPathRedaction"/>.</summary>
    public string? Token => TokenPathRedaction.TokenOf(HttpContext);

    [BindProperty]
    public AcceptInvitation.Register Input { get; set; } = new();

    [BindProperty]
    public AcceptInvitation.LogIn LoginInput { get; set; } = new();

    public AcceptInvitation.View? Invitation { get; private set; }

    public bool IsSignedIn => account.IsSignedIn;

    public string SignedInEmail => account.Email;

    public void OnGet()
    {
        Input = new AcceptInvitation.Register { Email = Invitation!.InvitedEmail };
        LoginInput = new AcceptInvitation.LogIn { Email = Invitation.InvitedEmail };
    }

    public async Task<IActionResult> OnPostAcceptAsync(CancellationToken cancellationToken)
    {
        if (!account.IsSignedIn)
        {
            return LocalRedirect($"/invite/{Uri.EscapeDataString(Token ?? "")}");
        }

        return await AnswerAsync(await sender.Send(new AcceptInvitation.Command(Token, account.UserId), cancellationToken));
    }

    public async Task<IActionResult> OnPostDeclineAsync(CancellationToken cancellationToken)
    {
        if (!account.IsSignedIn)
        {
            return LocalRedirect($"/invite/{Uri.EscapeDataString(Token ?? "")}");
        }

        var result = await sender.Send(new AcceptInvitation.Decline(Token, account.UserId), cancellationToken);
        TempData.Success($"You declined the invitation to {result.ClientName}. {Invitation!.SentBy} has been told, and the link no longer works.");
        return RedirectToPage("/Membership/ChooseAccount/Index");
    }

    public async Task<IActionResult> OnPostLoginAsync(CancellationToken cancellationToken)
    {
        LoginInput.Token = Token;
        var result = await sender.Send(LoginInput, cancellationToken);
        if (result.Outcome == AcceptInvitation.Outcome.LoginFailed)
        {
            ModelState.AddModelError($"{nameof(LoginInput)}.Password", Credentials.Failure);
            return Page();
        }

        return await AnswerAsync(result);
    }

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        Input.Token = Token;
        return await AnswerAsync(await sender.Send(Input, cancellationToken));
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Invitation = await sender.Send(new AcceptInvitation.Query(Token), cancellationToken);
        return Invitation is not null;
    }

    /// <summary>No pending invite matches the link: the same neutral page for an unknown, used, cancelled or expired one.</summary>
    public override IActionResult Missing()
    {
        Invitation = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    private async Task<IActionResult> AnswerAsync(AcceptInvitation.Result result)
    {
        switch (result.Outcome)
        {
            case AcceptInvitation.Outcome.Accepted:
                await signIn.SwitchAccountAsync(result.ClientId);
                TempData.Success($"Welcome to {result.ClientName}! You now have access to this account.");
                return RedirectToPage("/Home/Dashboard/Index");
            case AcceptInvitation.Outcome.AlreadyMember:
                TempData.Warning($"You already have access to {result.ClientName}. Nothing was changed.");
                return RedirectToPage("/Membership/ChooseAccount/Index");
            default:
                TempData.Warning(AcceptInvitation.WrongEmailFor(result.ClientName));
                return RedirectToPage("/Membership/ChooseAccount/Index");
        }
    }
}
