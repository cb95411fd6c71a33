using Microsoft.AspNetCore.Identity;

namespace Portal.Infrastructure.Pipeline;

/// <summary>Turns a failed Identity create or update into the refusal a form shows beside its field.</summary>
public static class IdentityRefusals
{
    /// <summary>
    /// A taken e-mail becomes <paramref name="emailTaken"/> beside the e-mail field; any other failure (a password
    /// the policy refuses, say) goes beside <paramref name="otherField"/>.
    /// </summary>
    public static void RefuseUnlessSucceeded(this IdentityResult result, string emailTaken, string otherField, string emailField = "Email")
    {
        if (result.Succeeded)
        {
            return;
        }

        throw result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))
            ? Refuse.Because(emailField, emailTaken)
            : Refuse.Because(otherField, result.Errors.First().Description);
    }
}
