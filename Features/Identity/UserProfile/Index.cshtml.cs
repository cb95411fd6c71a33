using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Settings;
using Portal.Features.Shared;

namespace Portal.Features.Identity;

[RequireSignedIn]
[ChecksPassword]
public sealed class UserProfilePage(ISender sender, Portal.Features.Settings.SystemSettings settings) : PortalPage
{
    [BindProperty]
    public UserProfile.Command Input { get; set; } = new();

    public UserProfile.Profile Profile { get; private set; } = null!;

    public string DefaultTimeZone { get; private set; } = "";

    public TimeZoneFieldView TimeZoneField => new($"{nameof(Input)}.{nameof(Input.TimeZone)}", Input.TimeZone, DefaultTimeZone, FromBrowser: false);

    public void OnGet() => Input = new UserProfile.Command
    {
        FirstName = Profile.FirstName, LastName = Profile.LastName, Email = Profile.Email, TimeZone = Profile.TimeZone,
    };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(Input, cancellationToken);
        TempData.Success(result.VerificationSentTo is { } newEmail
            ? $"We sent a verification link to {newEmail}. Your login address changes when you open it, within 60 minutes; until then, keep using {Profile.Email}."
            : "Your profile was saved.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Profile = await sender.Send(new UserProfile.Query(), cancellationToken);
        DefaultTimeZone = (await settings.GetAsync(cancellationToken)).DefaultTimeZone;
        return true;
    }
}
