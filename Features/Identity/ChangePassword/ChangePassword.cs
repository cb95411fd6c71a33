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

    public sealed class Command : ICommand, ITransactional
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

    internal sealed class Handler(
        PortalDbContext db, UserManager<User> users, AccountContext account, ClientSignIn signIn, Outbox outbox, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleAsync(u => u.Id == account.UserId, cancellationToken);
            if (!await users.CheckPasswordAsync(user, command.CurrentPassword!))
            {
                throw Refuse.Because(nameof(Command.CurrentPassword), WrongPassword);
            }

            var result = await users.ChangePasswordAsync(user, command.CurrentPassword!, command.NewPassword!);
            if (!result.Succeeded)
            {
                throw Refuse.Because(nameof(Command.NewPassword), result.Errors.First().Description);
            }

            await db.RevokeAllForUserAsync(user.Id, time.GetUtcNow(), exceptSessionId: account.SessionId);
            outbox.Queue(user.Email!, new OwnPasswordChangedMail(user.FirstName, user.Email!, outbox.Link("/password/forgot")), userId: user.Id);
            activity.ForUser(user.Id, null, $"User {user.Email} changed their password; their other sessions ended");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.RenewSecurityStampAsync(user.SecurityStamp!);
            return Unit.Value;
        }
    }
}
