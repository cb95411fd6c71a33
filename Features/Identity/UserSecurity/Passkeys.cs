using FluentValidation;
using Fido2NetLib;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>The user starts adding a passkey: the browser gets the options to create one with, for a few minutes.</summary>
public static class StartPasskey
{
    public sealed record Command : ICommand;

    internal sealed class Handler(PortalDbContext db, PasskeyCeremonies ceremonies, AccountContext account) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            var existing = await db.Passkeys.Where(p => p.UserId == user.Id).Select(p => p.CredentialId).ToListAsync(cancellationToken);
            ceremonies.StartRegistration(user, existing);
            return Unit.Value;
        }
    }
}

/// <summary>
/// The browser's new passkey, checked by Fido2 against the options this browser was given (challenge, origin, RP id,
/// user verification), is stored under the name the user chose; the challenge counts once; a notice is mailed.
/// </summary>
public static class AddPasskey
{
    public sealed class Command : ICommand
    {
        public string? Name { get; init; }

        /// <summary>The browser's answer as JSON, filled in by passkeys.js.</summary>
        public string? Credential { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Name).RequiredText("Name", Passkey.NameMax);
            RuleFor(x => x.Credential).NotEmpty().WithMessage("Your browser did not create a passkey. Use a browser with passkeys, then try again.")
                .MaximumLength(Passkey.AnswerMax).WithMessage(PasskeyText.NotCreated);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, PasskeyCeremonies ceremonies, AccountContext account, ActivityWriter activity, SecurityNotices notices, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var ceremony = ceremonies.Read(PasskeyCeremony.Register);
            if (ceremony is null || ceremony.UserId != account.UserId)
            {
                throw Refuse.Because(nameof(Command.Credential), PasskeyText.StartAgain);
            }

            var options = CredentialCreateOptions.FromJson(ceremony.OptionsJson);
            var response = PasskeyJson.Read<AuthenticatorAttestationRawResponse>(command.Credential) ?? throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotCreated);
            Fido2NetLib.Objects.RegisteredPublicKeyCredential credential;
            try
            {
                credential = await ceremonies.Fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
                {
                    AttestationResponse = response,
                    OriginalOptions = options,
                    IsCredentialIdUniqueToUserCallback = async (args, ct) => !await db.Passkeys.AnyAsync(p => p.CredentialId == args.CredentialId, ct),
                }, cancellationToken);
            }
            catch (Exception e) when (PasskeyJson.IsRefusal(e))
            {
                throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotCreated);
            }

            var name = command.Name!.Trim();
            await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var now = time.GetUtcNow();
                if (!await PasskeyCeremonies.SpendAsync(db, options.Challenge, ceremony.ExpiresAt, now, ct))
                {
                    throw Refuse.Because(nameof(Command.Credential), PasskeyText.StartAgain);
                }

                if (await db.Passkeys.AnyAsync(p => p.CredentialId == credential.Id, ct))
                {
                    throw Refuse.Because(nameof(Command.Credential), PasskeyText.AlreadyRegistered);
                }

                var user = await db.Users.SingleAsync(u => u.Id == account.UserId, ct);
                db.Passkeys.Add(Passkey.Register(user.Id, credential.Id, credential.PublicKey, credential.SignCount, name, now));
                activity.ForUser(user.Id, null, $"Passkey \"{name}\" added by {user.Email}");
                notices.TwoFactorChanged(user, $"The passkey \"{name}\" was added");
                await db.SaveChangesAsync(ct);
            }, cancellationToken);
            ceremonies.End(PasskeyCeremony.Register);
            return Unit.Value;
        }
    }
}

/// <summary>The user removes one of their passkeys (ticked to confirm): it signs in no more; a notice is mailed.</summary>
public static class RemovePasskey
{
    public sealed class Command : ICommand<string>, ITransactional, IConfirmed
    {
        public int Passkey { get; init; }

        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm that this passkey is removed.");
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity, SecurityNotices notices) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            await db.LockAsync<User>(account.UserId, cancellationToken);
            var passkey = await db.Passkeys.SingleOrDefaultAsync(p => p.Id == command.Passkey && p.UserId == account.UserId, cancellationToken)
                ?? throw Refuse.Because(PasskeyText.Gone);
            var user = await db.Users.SingleAsync(u => u.Id == account.UserId, cancellationToken);
            db.Passkeys.Remove(passkey);
            activity.ForUser(user.Id, null, $"Passkey \"{passkey.Name}\" removed by {user.Email}");
            notices.TwoFactorChanged(user, $"The passkey \"{passkey.Name}\" was removed");
            await db.SaveChangesAsync(cancellationToken);
            return passkey.Name;
        }
    }
}
