using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Identity;

/// <summary>
/// The slow part of every login and every new password: a PBKDF2 hash or check takes about 100 ms of one core at the
/// production iteration count. It runs before a write unit opens (or with none), never inside one, so no lock waits for
/// it, and through <see cref="PasswordWork"/>: one per core at a time, on threads of its own.
/// </summary>
public sealed class PasswordHashing(IPasswordHasher<User> users, IPasswordHasher<Administrator> admins, UserManager<User> userManager)
{
    /// <summary>The stored hash of a user's new password (the password has passed the policy already).</summary>
    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        PasswordWork.RunAsync(() => users.HashPassword(new User(), password), cancellationToken);

    /// <summary>The stored hash of an admin's new password.</summary>
    public Task<string> HashAdminAsync(string password, CancellationToken cancellationToken) =>
        PasswordWork.RunAsync(() => admins.HashPassword(new Administrator(), password), cancellationToken);

    /// <summary>Whether <paramref name="password"/> is the user's password, checked against the hash <paramref name="user"/> carries.</summary>
    public Task<bool> VerifyAsync(User user, string password, CancellationToken cancellationToken) =>
        PasswordWork.RunAsync(
            () => user.PasswordHash is { } hash && users.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed,
            cancellationToken);

    /// <summary>
    /// Refuses a new password the policy does not accept for this user (Identity's password validators: length and the
    /// zxcvbn score against the user's own name and address), with the validator's message.
    /// </summary>
    public async Task<string?> ProblemWithAsync(User user, string password)
    {
        foreach (var validator in userManager.PasswordValidators)
        {
            var result = await validator.ValidateAsync(userManager, user, password);
            if (!result.Succeeded)
            {
                return result.Errors.First().Description;
            }
        }

        return null;
    }

    /// <summary>Runs a password check that goes through Identity (a login, with its lockout bookkeeping) as password work.</summary>
    public Task<T> OnACoreAsync<T>(Func<Task<T>> check, CancellationToken cancellationToken) => PasswordWork.RunAsync(check, cancellationToken);
}
