using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// The admin corrects a user's name or login e-mail. A new e-mail must be free and counts as unverified until the
/// user verifies it; it rotates the login's security stamp, so reset links sent before stop working and every session
/// of the user ends (they sign in again with the new address). A change of name alone signs nobody out.
/// </summary>
public static class UpdateUser
{
    public const string EmailTaken = "A user already exists with that email address";

    public sealed class Command : ICommand, ITransactional
    {
        [BindNever]
        public int UserId { get; set; }

        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }

        /// <summary>The client an admin was working on (Match User and Client Details), for the activity log. Never bound from a form.</summary>
        [BindNever]
        public int? ClientId { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.FirstName).RequiredText("First name", FieldLengths.Name);
            RuleFor(x => x.LastName).RequiredText("Last name", FieldLengths.Name);
            RuleFor(x => x.Email).EmailField();
        }
    }

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, ActivityWriter activity, EmailVerification verification, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<User>(command.UserId, cancellationToken))
            {
                throw Refuse.NotFound($"User {command.UserId}");
            }

            var user = await users.FindByIdAsync(command.UserId.ToString()) ?? throw Refuse.NotFound($"User {command.UserId}");
            var (firstName, lastName, email) = (command.FirstName!.Trim(), command.LastName!.Trim(), command.Email!.Trim());
            var changes = user.Rename(firstName, lastName).ToList();

            // Another address (not its spelling in other letter case) is a new login: the old one's links and sessions end.
            var emailMoved = EmailAddress.Normalize(user.Email) != EmailAddress.Normalize(email);
            if (!string.Equals(user.Email, email, StringComparison.Ordinal))
            {
                if (await users.FindByEmailAsync(email) is { } other && other.Id != user.Id)
                {
                    throw Refuse.Because(nameof(Command.Email), EmailTaken);
                }

                changes.Add($"email from {user.Email} to {email}");
                user.Email = email;
                user.UserName = email;
                user.EmailConfirmed = false;
            }

            if (changes.Count == 0)
            {
                return Unit.Value;
            }

            // UpdateAsync validates uniqueness again, inside the transaction, and keeps the normalized columns in step.
            IdentityResult result;
            try
            {
                result = emailMoved ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user);
            }
            catch (DbUpdateException e) when (Contention.IsUniqueViolation(e))
            {
                // The unique e-mail index: the address was taken between the check above and this update.
                throw Refuse.Because(nameof(Command.Email), EmailTaken);
            }

            result.RefuseUnlessSucceeded(EmailTaken, "");

            if (emailMoved)
            {
                await db.RevokeAllForUserAsync(user.Id, time.GetUtcNow());
            }

            activity.Record($"User {user.Email} (#{user.Id}) changed: {string.Join("; ", changes)}" + (emailMoved ? "; their sessions ended" : ""), command.ClientId);
            await verification.QueueAsync(user, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
