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
using Portal.Features.Clients;
using Portal.Features.Membership;

namespace Portal.Features.Identity;

/// <summary>
/// Signs a client user in. Unknown e-mail, wrong password and a locked-out user get the same answer. A user with
/// exactly one open account enters it at once; anyone else chooses. Lockout applies to browsers the user has not
/// signed in with before (<see cref="KnownBrowsers"/>); the lockout is e-mailed to the user with a reset link, and a
/// password reset lifts it.
/// </summary>
public static class Login
{
    public sealed class Command : ICommand<Result>
    {
        public string? Email { get; init; }
        public string? Password { get; init; }
        public bool RememberMe { get; init; }
    }

    /// <summary><paramref name="NeedsSecondFactor"/>: the password was right and the code page comes next; no session yet.</summary>
    public sealed record Result(bool Succeeded, int? ActiveClientId, int? UserId = null, bool NeedsSecondFactor = false);


    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Email).LoginEmail(Credentials.Failure);
            RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.").MaximumLength(FieldLengths.PasswordMax).WithMessage(Credentials.Failure);
        }
    }

    internal sealed class Handler(
        PortalDbContext db, Credentials credentials, ClientSignIn signIn, ActivityWriter activity, KnownBrowsers knownBrowsers, SecurityNotices notices, RememberedBrowsers remembered, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await credentials.CheckAsync(command.Email!, command.Password!, cancellationToken);
            if (user is null)
            {
                return new Result(false, null);
            }

            // The password step set the known-browser cookie on the response; the request still tells whether it had one.
            // A login's very first sign-in is no news to its owner.
            var newBrowser = user.LastLoginAt is not null && !knownBrowsers.IsKnown(KnownBrowsers.User(user.Id));
            var rememberedBrowser = user.TwoFactorEnabled && await remembered.IsRememberedAsync(user);
            if (user.TwoFactorEnabled && !rememberedBrowser)
            {
                activity.ForUser(user.Id, null, $"Password accepted for {user.Email}; waiting for the second factor");
                await db.SaveChangesAsync(cancellationToken);
                await signIn.StartPendingAsync(user, command.RememberMe, newBrowser);
                return new Result(false, null, user.Id, NeedsSecondFactor: true);
            }

            if (newBrowser)
            {
                notices.NewBrowser(user);
            }

            var now = time.GetUtcNow();
            user.LastLoginAt = now;

            var memberships = await db.ClientUsers.Include(cu => cu.Client).Where(cu => cu.UserId == user.Id).ToListAsync(cancellationToken);
            var opened = ClientUser.AccountToOpenAtLogin(memberships);
            opened?.RecordLogin(now);

            var session = signIn.StartSession(user, command.RememberMe);
            activity.ForUser(user.Id, opened?.ClientId, (opened is null
                ? $"Logged in as {user.Email}"
                : $"Logged in as {user.Email} to {opened.Client.DisplayName} (#{opened.ClientId})")
                + (rememberedBrowser ? " from a browser remembered for two-factor authentication" : ""));
            await db.SaveChangesAsync(cancellationToken);

            await signIn.IssueCookieAsync(user, session.Id, opened?.ClientId, command.RememberMe);
            return new Result(true, opened?.ClientId, user.Id);
        }
    }

}
