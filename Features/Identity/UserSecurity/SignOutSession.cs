using FluentValidation;
using Mediator;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// The user ends one of their other sessions (a browser left signed in elsewhere): its row is revoked, so that
/// browser's next request is refused. A session id is a claim: only a live session of this user, other than the one
/// asking, is ended.
/// </summary>
public static class SignOutSession
{
    public const string Gone = "That session has already ended.";

    public sealed class Command : ICommand, ITransactional
    {
        /// <summary>The session's handle as the page shows it (<see cref="SessionRow.Handle"/>).</summary>
        public string? Session { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Session).NotEmpty().WithMessage(Gone).MaximumLength(64).WithMessage(Gone);
        }
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var session = await SessionList.FindLiveAsync(db, account.UserId, command.Session, now, cancellationToken);
            if (session is null || session.Id == account.SessionId || await db.RevokeSessionAsync(session.Id, now) == 0)
            {
                throw Refuse.Because(Gone);
            }

            activity.ForUser(account.UserId, null, $"Signed out a session of {account.Email}: {BrowserNames.Describe(session.UserAgent)} from {session.IpAddress ?? "an unknown address"}");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}

/// <summary>The user ends every session of their login except the one asking.</summary>
public static class SignOutOtherSessions
{
    public sealed record Command : ICommand<int>, ITransactional;

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var ended = await db.RevokeAllForUserAsync(account.UserId, time.GetUtcNow(), exceptSessionId: account.SessionId);
            activity.ForUser(account.UserId, null, $"Signed out everywhere else as {account.Email}: {ended} session(s) ended");
            await db.SaveChangesAsync(cancellationToken);
            return ended;
        }
    }
}
