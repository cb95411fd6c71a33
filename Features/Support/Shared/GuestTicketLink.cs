using Portal.Infrastructure.Web;

namespace Portal.Features.Support;

/// <summary>A guest's private link to their one ticket (<c>/support/ticket/{token}</c>).</summary>
public static class GuestTicketLink
{
    /// <summary>The path of the link; the token is taken out of the path before anything logs it.</summary>
    public static string PathFor(string token) => TokenPathRedaction.GuestTicketPrefix + token;
}
