using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Features.Identity;

/// <summary>The reset link that the forgot-password page, an admin, a lockout notice and a new owner's first password all send.</summary>
public static class PasswordResetLink
{
    /// <summary>The path of a reset link for <paramref name="userId"/>, for <c>Outbox.Link</c>.</summary>
    public static string PathFor(int userId, string token) =>
        $"/password/reset?user={userId}&token={WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}";
}
