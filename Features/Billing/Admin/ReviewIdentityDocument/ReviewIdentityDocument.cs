using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>
/// An admin approves the identity document a user uploaded, from the order that waits for it: the user is verified
/// (as by <see cref="MarkIdentityVerified"/>), their waiting orders go on, the document's bytes are deleted and the user
/// is told by e-mail.
/// </summary>
public static class ApproveIdentityDocument
{
    public sealed record Command(int DocumentId) : ICommand;

    internal sealed class Handler(PortalDbContext db, WriteUnit writes, ActivityWriter activity, VerifiedUserOrders orders, Outbox outbox, TimeProvider time)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var userId = await db.IdentityDocuments.Where(d => d.Id == command.DocumentId).Select(d => (int?)d.UserId).SingleOrDefaultAsync(cancellationToken)
                ?? throw Refuse.Conflict(IdentityDocumentReview.Gone);
            await orders.PrepareAsync(userId, cancellationToken);
            await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var (user, document) = await IdentityDocumentReview.LoadAsync(db, userId, command.DocumentId, ct);
                var now = time.GetUtcNow();
                document.Approve(activity.CurrentActor.AdminId, now);
                activity.Record($"Identity document {document.FileName} of {user.Email} approved, and deleted");
                if (user.MarkIdentityVerified(activity.CurrentActor.AdminId, now))
                {
                    activity.Record($"User {user.Email} identity verified");
                }

                await orders.ReleaseAsync(user, now, ct);
                outbox.Queue(user.Email!, new IdentityVerifiedMail(user.FirstName, user.Email!, outbox.Link("/orders")), userId: user.Id);
                await db.SaveChangesAsync(ct);
            }, cancellationToken);
            return Unit.Value;
        }
    }
}

/// <summary>
/// An admin rejects the identity document a user uploaded, with a reason the user reads on their verification page and
/// in the e-mail; the document's bytes are deleted and the user may upload another.
/// </summary>
public static class RejectIdentityDocument
{
    public sealed class Command : ICommand
    {
        public int DocumentId { get; init; }

        public string? Reason { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).RequiredText("A reason", IdentityDocument.ReasonMax);
        }
    }

    internal sealed class Handler(PortalDbContext db, WriteUnit writes, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var userId = await db.IdentityDocuments.Where(d => d.Id == command.DocumentId).Select(d => (int?)d.UserId).SingleOrDefaultAsync(cancellationToken)
                ?? throw Refuse.Conflict(IdentityDocumentReview.Gone);
            var reason = command.Reason!.Trim();
            await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), async ct =>
            {
                var (user, document) = await IdentityDocumentReview.LoadAsync(db, userId, command.DocumentId, ct);
                document.Reject(activity.CurrentActor.AdminId, reason, time.GetUtcNow());
                activity.Record($"Identity document {document.FileName} of {user.Email} rejected, and deleted: {reason}");
                outbox.Queue(user.Email!, new IdentityDocumentRejectedMail(user.FirstName, user.Email!, reason, outbox.Link(DocumentUpload.VerificationPath)), userId: user.Id);
                await db.SaveChangesAsync(ct);
            }, cancellationToken);
            return Unit.Value;
        }
    }
}

/// <summary>What both decisions load first, the user's login locked: the user and the document, which must still wait for a decision.</summary>
internal static class IdentityDocumentReview
{
    public const string Gone = "This document no longer waits for a decision: the user may have replaced it. Review the one shown now.";

    public static async Task<(User User, IdentityDocument Document)> LoadAsync(PortalDbContext db, int userId, int documentId, CancellationToken cancellationToken)
    {
        if (!await db.LockAsync<User>(userId, cancellationToken))
        {
            throw Refuse.NotFound("User");
        }

        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        var document = await db.IdentityDocuments.SingleOrDefaultAsync(d => d.Id == documentId && d.UserId == userId, cancellationToken)
            ?? throw Refuse.Conflict(Gone);
        if (document.CannotDecide() is { } why)
        {
            throw Refuse.Conflict(why);
        }

        return (user, document);
    }
}
