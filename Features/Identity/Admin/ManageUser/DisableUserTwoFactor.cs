using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// An admin turns off a user's second factor (a user who lost their phone and their recovery codes); never on. The
/// key and recovery codes are deleted, the change is logged and the user is told by e-mail.
/// </summary>
public static class DisableUserTwoFactor
{
    public sealed record Command(int UserId) : ICommand, ITransactional, IConfirmed
    {
        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm that this user's two-factor authentication is turned off.");
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, SecurityNotices notices) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken) ?? throw Refuse.NotFound($"User {command.UserId}");
            if (!user.TwoFactorEnabled)
            {
                throw Refuse.Because(TwoFactorText.NotOn);
            }

            await TwoFactorReset.ForUserAsync(db, user, cancellationToken);
            activity.Record($"Two-factor authentication of user {user.Email} (#{user.Id}) turned off by an admin");
            notices.TwoFactorChanged(user, "An administrator turned off two-factor authentication");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
