using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// The signed-in user's own details, under the Hello menu: the name, and the login address. A new address needs the
/// current password and takes effect only when the link sent to it is opened; the old address is told, and keeps
/// working until then. And the time zone every date is written in for this user, or the provider's default.
/// </summary>
public static class UserProfile
{
    public const string PasswordNeeded = "Enter your current password to change your email address.";
    public const string WrongPassword = "That is not your current password.";

    public sealed record Query : IQuery<Profile>;

    public sealed record Profile(string FirstName, string LastName, string Email, string? PendingEmail, string? TimeZone = null);

    internal sealed class QueryHandler(PortalDbContext db, AccountContext account, EmailChange emailChange) : IQueryHandler<Query, Profile>
    {
        public async ValueTask<Profile> Handle(Query query, CancellationToken cancellationToken)
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == account.UserId)
                .Select(u => new { u.FirstName, u.LastName, u.Email, u.TimeZone })
                .SingleAsync(cancellationToken);
            return new Profile(user.FirstName, user.LastName, user.Email ?? "", await emailChange.PendingAsync(account.UserId, cancellationToken), user.TimeZone);
        }
    }

    public sealed class Command : ICommand<Result>
    {
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public string? CurrentPassword { get; init; }

        /// <summary>An IANA name; empty for the provider's default.</summary>
        public string? TimeZone { get; init; }
    }

    /// <summary>What was done: the new address a link was sent to, when the address changes.</summary>
    public sealed record Result(string? VerificationSentTo);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.FirstName).RequiredText("First name", FieldLengths.Name);
            RuleFor(x => x.LastName).RequiredText("Last name", FieldLengths.Name);
            RuleFor(x => x.Email).EmailField();
            RuleFor(x => x.CurrentPassword).MaximumLength(FieldLengths.PasswordMax).WithMessage(WrongPassword);
            RuleFor(x => x.TimeZone).Must(zone => string.IsNullOrEmpty(zone) || TimeZones.IsKnown(zone)).WithMessage("Choose a time zone from the list.");
        }
    }

    /// <summary>
    /// A new address needs the current password: it is checked (slowly) before the write unit opens, and the unit writes
    /// the change only if the password is still the one checked.
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, UserManager<User> users, PasswordHashing passwords, AccountContext account, ActivityWriter activity, EmailChange emailChange)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var (firstName, lastName, email) = (command.FirstName!.Trim(), command.LastName!.Trim(), command.Email!.Trim());
            var before = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            var changesEmail = EmailAddress.Normalize(email) != EmailAddress.Normalize(before.Email);
            if (changesEmail)
            {
                if (string.IsNullOrEmpty(command.CurrentPassword))
                {
                    throw Refuse.Because(nameof(Command.CurrentPassword), PasswordNeeded);
                }

                if (!await passwords.VerifyAsync(before, command.CurrentPassword, cancellationToken))
                {
                    throw Refuse.Because(nameof(Command.CurrentPassword), WrongPassword);
                }
            }

            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var user = await db.Users.SingleAsync(u => u.Id == account.UserId, ct);
                var changes = user.Rename(firstName, lastName).ToList();

                var timeZone = string.IsNullOrEmpty(command.TimeZone) ? null : command.TimeZone;
                if (user.TimeZone != timeZone)
                {
                    changes.Add($"time zone from {user.TimeZone ?? "the provider's default"} to {timeZone ?? "the provider's default"}");
                    user.TimeZone = timeZone;
                }

                string? verificationSentTo = null;
                if (EmailAddress.Normalize(email) != EmailAddress.Normalize(user.Email))
                {
                    // The password checked above must still be the password, and the address the one it was checked for.
                    if (!changesEmail || user.PasswordHash != before.PasswordHash)
                    {
                        throw Refuse.Because(nameof(Command.CurrentPassword), WrongPassword);
                    }

                    // An address another login uses gets the same answer as a free one, so that the form tells no one which
                    // addresses have a login: the change waits for a link that is never sent, and that login's owner is told.
                    var holder = await users.FindByEmailAsync(email) is { } other && other.Id != user.Id ? other : null;
                    await emailChange.RequestAsync(user, email, holder, ct);
                    activity.ForUser(user.Id, null, holder is null
                        ? $"User {user.Email} asked to change their email address to {email}; a verification link was sent"
                        : $"User {user.Email} asked to change their email address to {email}, which another login uses: no link was sent, and that login's owner was told");
                    verificationSentTo = email;
                }

                if (changes.Count > 0)
                {
                    activity.ForUser(user.Id, null, $"User {user.Email} changed their {string.Join("; ", changes)}");
                }

                await db.SaveChangesAsync(ct);
                return new Result(verificationSentTo);
            }, cancellationToken);
        }
    }
}
