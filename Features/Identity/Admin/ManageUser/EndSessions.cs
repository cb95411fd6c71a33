using Mediator;
using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>Signs a user out everywhere: every session row is revoked and the security stamp changes, so no cookie of theirs works again.</summary>
public static class EndSessions
{
    public sealed record Command(int UserId) : ICommand<int>, ITransactional;

    internal sealed class Handler(PortalDbContext db, UserManager<User> users, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<User>(command.UserId, cancellationToken))
            {
                throw Refuse.NotFound($"User {command.UserId}");
            }

            var user = await users.FindByIdAsync(command.UserId.ToString()) ?? throw Refuse.NotFound($"User {command.UserId}");
            var ended = await db.RevokeAllForUserAsync(user.Id, time.GetUtcNow());
            await users.UpdateSecurityStampAsync(user);
            activity.Record($"Ended all sessions of user {user.Email} (#{user.Id}): {ended} session(s)");
            await db.SaveChangesAsync(cancellationToken);
            return ended;
        }
    }
}
