using Portal.Infrastructure.Email;

namespace Portal.Features.Identity;

/// <summary>The sign-in security notices (new browser, second factor changed), each with the time, IP and browser of the request.</summary>
public sealed class SecurityNotices(Outbox outbox, IHttpContextAccessor http, TimeProvider time)
{
    public const string UserSecurityPath = "/user/security";
    public const string AdminSecurityPath = "/admin/security";

    public SignInContext Context() => new(
        time.GetUtcNow(), http.HttpContext?.Connection.RemoteIpAddress?.ToString(), BrowserNames.Describe(http.HttpContext?.Request.Headers.UserAgent.ToString()));

    public void NewBrowser(User user) =>
        outbox.Queue(user.Email!, new NewBrowserSignInMail(user.FirstName, user.Email!, Context(), outbox.Link(UserSecurityPath)), userId: user.Id);

    public void TwoFactorChanged(User user, string change) =>
        outbox.Queue(user.Email!, new TwoFactorChangedMail(user.FirstName, user.Email!, change, Context(), outbox.Link(UserSecurityPath)), userId: user.Id);

    public void TwoFactorChanged(Administrator admin, string change) =>
        outbox.Queue(admin.Email, new TwoFactorChangedMail(admin.FirstName, admin.Email, change, Context(), outbox.Link(AdminSecurityPath)));
}
