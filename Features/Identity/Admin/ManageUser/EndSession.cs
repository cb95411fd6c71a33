using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>An admin ends one session of a user (named by its handle on Manage User); the user's other sessions go on.</summary>
public static class EndSession
{
    public const string Gone = "That session has already ended.";

    public sealed record Command(int UserId, string? Session) : ICommand, ITransactional;

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken) ?? throw Refuse.NotFound($"User {command.UserId}");
            var now = time.GetUtcNow();
            var session = await SessionList.FindLiveAsync(db, user.Id, command.Session, now, cancellationToken);
            if (session is null || await db.RevokeSessionAsync(session.Id, now) == 0)
            {
                throw Refuse.Because(Gone);
            }

            activity.Record($"Ended a session of user {user.Email} (#{user.Id}): {BrowserNames.Describe(session.UserAgent)} from {session.IpAddress ?? "an unknown address"}");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
