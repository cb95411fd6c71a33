using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Data;
using Portal.Features.Identity;
using Portal.Features.Shared;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// The password policy (pinned by the registration and password-change tests): 12 to 128 characters, no composition rules, and a zxcvbn score of at least 3,
/// which also refuses common passwords and ones built from the user's own name or e-mail.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumScore = 3;

    public static string? Problem(string? password, params string?[] userInputs)
    {
        if (string.IsNullOrEmpty(password) || password.Length < FieldLengths.PasswordMin)
        {
            return $"Use at least {FieldLengths.PasswordMin} characters.";
        }

        if (password.Length > FieldLengths.PasswordMax)
        {
            return $"Use at most {FieldLengths.PasswordMax} characters.";
        }

        var inputs = userInputs.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i!).ToList();
        var result = Zxcvbn.Zxcvbn.MatchPassword(password, inputs);
        return result.Score < MinimumScore
            ? "This password is too easy to guess. Try a longer phrase of unrelated words."
            : null;
    }
}

public sealed class StrongPasswordValidator : IPasswordValidator<User>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        var problem = await PasswordWork.RunAsync(() => PasswordPolicy.Problem(password, user.Email, user.FirstName, user.LastName), CancellationToken.None);
        return problem is null
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "WeakPassword", Description = problem });
    }
}
