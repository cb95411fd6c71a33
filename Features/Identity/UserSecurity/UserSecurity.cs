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

    public sealed record Result(IReadOnlyList<SessionRow> Sessions, TwoFactorState TwoFactor);

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, Authenticator authenticator, AccountContext account, TimeProvider time)
        : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var sessions = await SessionList.LiveOfUserAsync(db, account.UserId, time.GetUtcNow(), account.SessionId, cancellationToken);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            if (user.TwoFactorEnabled)
            {
                return new Result(sessions, new TwoFactorState(true, await db.RecoveryCodes.CountAsync(c => c.UserId == user.Id, cancellationToken), null));
            }

            var key = await UserAuthenticatorKey.ReadAsync(users, authenticator, user);
            return new Result(sessions, new TwoFactorState(false, 0, key is null ? null : new TwoFactorEnrolment(Authenticator.Readable(key), Authenticator.QrSvg(authenticator.UriFor(user.Email!, key)))));
        }
    }
}
