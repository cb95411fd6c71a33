using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Identity;

/// <summary>
/// The signed-in user's sign-in security: two-factor authentication (off, being set up with its QR code, or on with
/// the recovery codes left) and their live sessions, this one first and marked.
/// </summary>
public static class UserSecurity
{
    public sealed record Query : IQuery<Result>;

    public sealed record Result(IReadOnlyList<SessionRow> Sessions, TwoFactorState TwoFactor, IReadOnlyList<PasskeyRow> Passkeys, string? NewPasskeyOptions);

    /// <summary>A passkey as the page lists it.</summary>
    public sealed record PasskeyRow(int Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, Authenticator authenticator, AccountContext account, PasskeyCeremonies ceremonies, TimeProvider time)
        : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var sessions = await SessionList.LiveOfUserAsync(db, account.UserId, time.GetUtcNow(), account.SessionId, cancellationToken);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            var passkeys = await db.Passkeys.Where(p => p.UserId == user.Id).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
                .Select(p => new PasskeyRow(p.Id, p.Name, p.CreatedAt, p.LastUsedAt)).ToListAsync(cancellationToken);
            var ceremony = ceremonies.Read(PasskeyCeremony.Register);
            var newPasskey = ceremony?.UserId == user.Id ? ceremony.OptionsJson : null;
            if (user.TwoFactorEnabled)
            {
                return new Result(sessions, new TwoFactorState(true, await db.RecoveryCodes.CountAsync(c => c.UserId == user.Id, cancellationToken), null), passkeys, newPasskey);
            }

            var key = await UserAuthenticatorKey.ReadAsync(users, authenticator, user);
            return new Result(sessions, new TwoFactorState(false, 0, key is null ? null : new TwoFactorEnrolment(Authenticator.Readable(key), Authenticator.QrSvg(authenticator.UriFor(user.Email!, key)))),
                passkeys, newPasskey);
        }
    }
}
