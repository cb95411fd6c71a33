using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// Step-up: the signed-in user proves again who they are, with their password or (when two-factor authentication is
/// on) a code from the app, before a sensitive action. The session's last proof becomes now; nothing else changes.
/// </summary>
public static class ConfirmIdentity
{
    public const string Wrong = "That is not your password or a current code. Please try again.";

    public sealed class Command : ICommand
    {
        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password, or a code from your authenticator app.")
                .MaximumLength(FieldLengths.PasswordMax).WithMessage(Wrong);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, UserManager<User> users, Authenticator authenticator, AccountContext account, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleAsync(u => u.Id == account.UserId, cancellationToken);
            var proof = await ProveAsync(user, command.Password!, cancellationToken);
            if (proof is null)
            {
                activity.ForUser(user.Id, null, $"Failed confirmation of identity by {user.Email}");
                await db.SaveChangesAsync(cancellationToken);
                throw Refuse.Because(nameof(Command.Password), Wrong);
            }

            var now = time.GetUtcNow();
            await db.Sessions.Where(s => s.Id == account.SessionId && s.UserId == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProvenAt, now), cancellationToken);
            activity.ForUser(user.Id, null, $"Identity confirmed by {user.Email} with {proof}");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }

        private async Task<string?> ProveAsync(User user, string typed, CancellationToken cancellationToken)
        {
            if (user.TwoFactorEnabled && typed.Trim().Length <= 7 && await UserAuthenticatorKey.ReadAsync(users, authenticator, user) is { } key
                && authenticator.Verify(key, typed, user.AuthenticatorLastStep) is { } step)
            {
                var claimed = await db.Users.Where(u => u.Id == user.Id && (u.AuthenticatorLastStep == null || u.AuthenticatorLastStep < step))
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.AuthenticatorLastStep, step), cancellationToken);
                return claimed == 1 ? "the authenticator app" : null;
            }

            return await users.CheckPasswordAsync(user, typed) ? "the password" : null;
        }
    }
}
