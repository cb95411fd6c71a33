using FluentValidation;
using Fido2NetLib;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Membership;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// The options of a passkey sign-in, for the browser: on the login page any passkey of the site (it names its login
/// itself); on the code page of a password login, only the passkeys of that login, as its second factor (none: null,
/// and the page offers no passkey).
/// </summary>
public static class StartPasskeySignIn
{
    public sealed record Command(bool AsSecondFactor = false) : ICommand<string?>;

    internal sealed class Handler(PortalDbContext db, PasskeyCeremonies ceremonies, ClientSignIn signIn) : ICommandHandler<Command, string?>
    {
        public async ValueTask<string?> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!command.AsSecondFactor)
            {
                return ceremonies.StartSignIn(null, []);
            }

            if (await signIn.PendingAsync() is not { } pending)
            {
                return null;
            }

            var passkeys = await db.Passkeys.Where(p => p.UserId == pending.Id).Select(p => p.CredentialId).ToListAsync(cancellationToken);
            return passkeys.Count == 0 ? null : ceremonies.StartSignIn(pending.Id, passkeys);
        }
    }
}

/// <summary>
/// Signs in with a passkey, without a password, or as the second step of a password login. Fido2 checks the answer
/// against the options this browser was given, the passkey's stored public key and its signature counter; the passkey
/// must be registered here and belong to the login the authenticator names (and, as a second factor, to the login whose
/// password was just given). The challenge counts once, and the counter moves on only if nobody else moved it first.
/// A passkey is both factors: no code is asked after it.
/// </summary>
public static class SignInWithPasskey
{
    public sealed class Command : ICommand<Result>
    {
        /// <summary>The browser's answer as JSON, filled in by passkeys.js.</summary>
        public string? Credential { get; init; }
    }

    public sealed record Result(int? ActiveClientId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Credential).NotEmpty().WithMessage("Your browser did not offer a passkey. Choose one, or log in with your password.")
                .MaximumLength(Passkey.AnswerMax).WithMessage(PasskeyText.NotSignedIn);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, PasskeyCeremonies ceremonies, ClientSignIn signIn, KnownBrowsers knownBrowsers, ActivityWriter activity,
        SecurityNotices notices, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var ceremony = ceremonies.Read(PasskeyCeremony.SignIn) ?? throw Refuse.Because(nameof(Command.Credential), PasskeyText.StartAgain);
            var options = AssertionOptions.FromJson(ceremony.OptionsJson);
            var response = PasskeyJson.Read<AuthenticatorAssertionRawResponse>(command.Credential);
            var passkey = response?.RawId is { Length: > 0 and <= Passkey.CredentialIdMax } rawId
                ? await db.Passkeys.AsNoTracking().SingleOrDefaultAsync(p => p.CredentialId == rawId, cancellationToken)
                : null;
            if (response is null || passkey is null)
            {
                activity.Record("Failed passkey sign-in: a passkey not registered here");
                await db.SaveChangesAsync(cancellationToken);
                throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotSignedIn);
            }

            // As a second factor: only a passkey of the login whose password this browser just gave, while that step is alive.
            var pending = await signIn.PendingAsync();
            if (ceremony.UserId is { } expected && (pending is null || pending.Id != expected || passkey.UserId != expected))
            {
                activity.ForUser(passkey.UserId, null, "Failed passkey sign-in: the passkey is not the one of the login being signed in");
                await db.SaveChangesAsync(cancellationToken);
                throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotSignedIn);
            }

            uint counter;
            try
            {
                var verified = await ceremonies.Fido2.MakeAssertionAsync(new MakeAssertionParams
                {
                    AssertionResponse = response,
                    OriginalOptions = options,
                    StoredPublicKey = passkey.PublicKey,
                    StoredSignatureCounter = (uint)passkey.SignCount,
                    IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(
                        args.UserHandle.AsSpan().SequenceEqual(PasskeyCeremonies.UserHandle(passkey.UserId)) && args.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId)),
                }, cancellationToken);
                counter = verified.SignCount;
            }
            catch (Exception e) when (PasskeyJson.IsRefusal(e))
            {
                activity.ForUser(passkey.UserId, null, $"Failed passkey sign-in with \"{passkey.Name}\": the answer did not verify");
                await db.SaveChangesAsync(cancellationToken);
                throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotSignedIn);
            }

            // A counter that does not move on means a copy of the authenticator signed (authenticators that keep no counter send 0 always).
            if ((counter != 0 || passkey.SignCount != 0) && counter <= passkey.SignCount)
            {
                activity.ForUser(passkey.UserId, null, $"Failed passkey sign-in with \"{passkey.Name}\": its signature counter went back, so it may be a copy");
                await db.SaveChangesAsync(cancellationToken);
                throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotSignedIn);
            }

            var login = KnownBrowsers.User(passkey.UserId);
            var knownBrowser = knownBrowsers.IsKnown(login);
            var (user, sessionId, clientId, remember) = await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var now = time.GetUtcNow();
                if (!await PasskeyCeremonies.SpendAsync(db, options.Challenge, ceremony.ExpiresAt, now, ct))
                {
                    throw Refuse.Because(nameof(Command.Credential), PasskeyText.StartAgain);
                }

                var moved = await db.Passkeys.Where(p => p.Id == passkey.Id && p.SignCount == passkey.SignCount)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.SignCount, (long)counter).SetProperty(p => p.LastUsedAt, now), ct);
                if (moved != 1)
                {
                    throw Refuse.Because(nameof(Command.Credential), PasskeyText.NotSignedIn);
                }

                var user = await db.Users.SingleAsync(u => u.Id == passkey.UserId, ct);
                if (user.LastLoginAt is not null && !knownBrowser)
                {
                    notices.NewBrowser(user);
                }

                user.LastLoginAt = now;
                var memberships = await db.ClientUsers.Include(cu => cu.Client).Where(cu => cu.UserId == user.Id).ToListAsync(ct);
                var opened = ClientUser.AccountToOpenAtLogin(memberships);
                opened?.RecordLogin(now);
                var remember = pending is not null && pending.Id == user.Id && pending.Remember;
                var session = signIn.StartSession(user, remember);
                activity.ForUser(user.Id, opened?.ClientId, (opened is null
                    ? $"Logged in as {user.Email}"
                    : $"Logged in as {user.Email} to {opened.Client.DisplayName} (#{opened.ClientId})") + $" with the passkey \"{passkey.Name}\"");
                await db.SaveChangesAsync(ct);
                return (user, session.Id, opened?.ClientId, remember);
            }, cancellationToken);

            ceremonies.End(PasskeyCeremony.SignIn);
            if (pending is not null)
            {
                await signIn.EndPendingAsync();
            }

            await signIn.IssueCookieAsync(user, sessionId, clientId, remember);
            knownBrowsers.Remember(login);
            return new Result(clientId);
        }
    }
}
