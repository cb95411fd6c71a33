using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// A signed-in user changes their own password with the current one. Every other session of the login ends (the
/// security stamp changes and their rows are revoked); this one goes on with a re-issued cookie; a notice is e-mailed.
/// </summary>
public static class ChangePassword
{
    public const string WrongPassword = "That is not your current password.";

    public sealed class Command : ICommand
    {
        public string? CurrentPassword { get; init; }
        public string? NewPassword { get; init; }
        public string? ConfirmPassword { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(AccountContext account)
        {
            RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Enter your current password.")
                .MaximumLength(FieldLengths.PasswordMax).WithMessage(WrongPassword);
            RuleFor(x => x.NewPassword).NewPassword(_ => [account.Email, account.FirstName]);
            RuleFor(x => x.ConfirmPassword).Equal(x => x.NewPassword).WithMessage("The passwords do not match.");
        }
    }

    /// <summary>
    /// The current password is checked and the new one hashed before the write unit opens (both slow); the unit writes
    /// the new hash only if the password is still the one checked (another session may have changed it meanwhile); the
    /// cookie of this session is re-issued after the commit.
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, UserManager<User> users, PasswordHashing passwords, AccountContext account, ClientSignIn signIn,
        Outbox outbox, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            if (!await passwords.VerifyAsync(user, command.CurrentPassword!, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.CurrentPassword), WrongPassword);
            }

            if (await passwords.ProblemWithAsync(user, command.NewPassword!) is { } problem)
            {
                throw Refuse.Because(nameof(Command.NewPassword), problem);
            }

            var newHash = await passwords.HashAsync(command.NewPassword!, cancellationToken);
            var stamp = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var current = await db.Users.SingleAsync(u => u.Id == account.UserId, ct);
                if (current.PasswordHash != user.PasswordHash)
                {
                    throw Refuse.Because(nameof(Command.CurrentPassword), WrongPassword);
                }

                current.PasswordHash = newHash;
                var updated = await users.UpdateSecurityStampAsync(current);
                if (!updated.Succeeded)
                {
                    throw Refuse.Because(nameof(Command.NewPassword), updated.Errors.First().Description);
                }

                await db.RevokeAllForUserAsync(current.Id, time.GetUtcNow(), exceptSessionId: account.SessionId);
                outbox.Queue(current.Email!, new OwnPasswordChangedMail(current.FirstName, current.Email!, outbox.Link("/password/forgot")), userId: current.Id);
                activity.ForUser(current.Id, null, $"User {current.Email} changed their password; their other sessions ended");
                await db.SaveChangesAsync(ct);
                return current.SecurityStamp!;
            }, cancellationToken);

            await signIn.RenewSecurityStampAsync(stamp);
            return Unit.Value;
        }
    }
}
