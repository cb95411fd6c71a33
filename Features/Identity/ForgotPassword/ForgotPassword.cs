using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Identity;

/// <summary>
/// E-mails a password reset link. Known and unknown addresses get the same answer; the link is built on
/// <c>Portal:BaseUrl</c>. Admins send the same e-mail from the admin area, and never see or choose the password.
/// A visitor's request sends at most <see cref="MaxPerHour"/> such e-mails to one address an hour, with the same answer
/// past the limit, so the form cannot be used to flood someone's inbox.
/// </summary>
public static class ForgotPassword
{
    public const int MaxPerHour = 3;

    private const string Sent = "Password reset email sent to";

    public sealed class Command : ICommand
    {
        public string? Email { get; init; }

        /// <summary>The client an admin was working on when sending the e-mail, for the activity log. Never bound from a form.</summary>
        [BindNever]
        public int? ClientId { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Email).EmailField();
    }

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, Outbox outbox, ActivityWriter activity, AdminContext admin, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var email = command.Email!.Trim();
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                activity.Record($"Password reset requested for unknown email {email}");
                await db.SaveChangesAsync(cancellationToken);
                return Unit.Value;
            }

            var since = time.GetUtcNow() - TimeSpan.FromHours(1);
            if (!admin.IsSignedIn
                && await db.ActivityLog.CountAsync(e => e.UserId == user.Id && e.Description.StartsWith(Sent) && e.At > since, cancellationToken) >= MaxPerHour)
            {
                activity.ForUser(user.Id, null, $"Password reset email to {user.Email} not sent: {MaxPerHour} already sent in the last hour");
                await db.SaveChangesAsync(cancellationToken);
                return Unit.Value;
            }

            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = outbox.Link(PasswordResetLink.PathFor(user.Id, token));
            outbox.Queue(user.Email!, new PasswordResetMail(user.FirstName, user.Email!, link, outbox.PasswordLinkLifetime), command.ClientId, user.Id);

            var description = $"{Sent} {user.Email}";
            if (admin.IsSignedIn)
            {
                activity.Record(description, command.ClientId);
            }
            else
            {
                activity.ForUser(user.Id, null, description);
            }

            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
