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
using Portal.Features.Clients;

namespace Portal.Features.Identity;

/// <summary>
/// Opens a client account. A visitor becomes a new user built from the profile and the account's owner; a signed-in
/// user becomes the owner of the new account without a second user being created.
/// </summary>
public static class Register
{
    /// <summary>
    /// The answer to an address that already has a login. Registration signs the new user in at once (SPEC §3), so a free
    /// address and a taken one cannot get the same answer; the login's owner is told by mail (<see cref="AddressInUse"/>).
    /// </summary>
    public const string EmailTaken = "A user already exists with that email address. Log in instead to add another account to it, or reset your password if you forgot it.";

    public sealed class Command : ProfileForm, ICommand<Result>
    {
        public string? Password { get; init; }
        public string? ConfirmPassword { get; init; }

        /// <summary>The new login's IANA time zone (the browser's, unless changed); empty for the provider's default. Ignored for a signed-in user, whose zone is set.</summary>
        public string? TimeZone { get; init; }
    }

    /// <summary>The new account; none when the address already had a login (<see cref="EmailTaken"/>).</summary>
    public sealed record Result(int? ClientId);

    /// <summary>The form of a signed-in user's next account, filled with who they are.</summary>
    public sealed record Prefill : IQuery<Command>;

    internal sealed class PrefillHandler(PortalDbContext db, AccountContext account) : IQueryHandler<Prefill, Command>
    {
        public async ValueTask<Command> Handle(Prefill query, CancellationToken cancellationToken) =>
            await db.Users.AsNoTracking()
                .Where(u => u.Id == account.UserId)
                .Select(u => new Command { FirstName = u.FirstName, LastName = u.LastName, Email = u.Email })
                .SingleOrDefaultAsync(cancellationToken)
            ?? new Command();
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(AccountContext account)
        {
            this.AddProfileRules();
            When(_ => !account.IsSignedIn, () =>
            {
                RuleFor(x => x.Password).NewPassword(x => [x.Email, x.FirstName, x.LastName]);
                RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage("The passwords do not match.");
                RuleFor(x => x.TimeZone).Must(zone => string.IsNullOrEmpty(zone) || TimeZones.IsKnown(zone)).WithMessage("Choose a time zone from the list.");
            });
        }
    }

    /// <summary>
    /// The password is hashed first, before the write unit opens; the account, the login and their log entries are
    /// written in one unit (run again if it loses a race: a second registration of the same address then finds the
    /// first); the cookie is issued after the commit.
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db,
        WriteUnit writes,
        UserManager<User> users,
        PasswordHashing passwords,
        AccountContext account,
        ClientSignIn signIn,
        ActivityWriter activity,
        EmailVerification verification,
        AddressInUse addressInUse,
        TimeProvider time) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var profile = command.ToProfile();
            var passwordHash = account.IsSignedIn ? null : await passwords.HashAsync(command.Password!, cancellationToken);

            var (clientId, owner, session) = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var now = time.GetUtcNow();
                User owner;
                Session? session = null;
                if (account.IsSignedIn)
                {
                    owner = await db.Users.SingleAsync(u => u.Id == account.UserId, ct);
                }
                else if (await users.FindByEmailAsync(profile.Email) is { } holder)
                {
                    // The refusal is written with the notice to the address's owner, so it cannot roll the notice back.
                    var told = await addressInUse.TellAsync(holder, AddressInUseMail.Attempt.Register, ct);
                    activity.ForUser(holder.Id, null, $"Registration with {holder.Email} refused: the address has a login" + (told ? ", whose owner was told" : ""));
                    await db.SaveChangesAsync(ct);
                    return ((int?)null, holder, (Session?)null);
                }
                else
                {
                    owner = new User
                    {
                        UserName = profile.Email,
                        Email = profile.Email,
                        FirstName = profile.FirstName,
                        LastName = profile.LastName,
                        CreatedAt = now,
                        LastLoginAt = now,
                        PasswordHash = passwordHash,
                        TimeZone = string.IsNullOrEmpty(command.TimeZone) ? null : command.TimeZone,
                    };
                    var created = await users.CreateAsync(owner);
                    created.RefuseUnlessSucceeded(EmailTaken, nameof(Command.Password));

                    session = signIn.StartSession(owner, remember: false);
                    await verification.QueueAsync(owner, ct);
                }

                var client = Client.Open(profile, owner, now);
                db.Clients.Add(client);
                await db.SaveChangesAsync(ct);
                client.Users.Single().RecordLogin(now);

                if (session is null)
                {
                    activity.ForUser(owner.Id, client.Id, $"Created client account {client.DisplayName} (#{client.Id}) and became its owner");
                }
                else
                {
                    activity.ForUser(owner.Id, client.Id, $"Registered user {owner.Email} and client account {client.DisplayName} (#{client.Id})");
                    activity.ForUser(owner.Id, client.Id, $"Logged in as {owner.Email}");
                }

                await db.SaveChangesAsync(ct);
                return ((int?)client.Id, owner, session);
            }, cancellationToken);

            if (clientId is null)
            {
                return new Result(null);
            }

            if (session is null)
            {
                await signIn.SwitchAccountAsync(clientId.Value);
            }
            else
            {
                await signIn.IssueCookieAsync(owner, session.Id, clientId);
            }

            return new Result(clientId);
        }
    }
}
