using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// How a user proves who they are. The built-in method is an uploaded identity document that an admin reviews
/// (<see cref="DocumentUpload"/>); a provider may register a hosted verification service instead, in
/// <c>Features/FeatureServices.cs</c>. Whatever the method, a verified user is one whose <see cref="User.MarkIdentityVerified"/>
/// was called.
/// </summary>
public interface IIdentityVerificationMethod
{
    /// <summary>Where the user stands with this method: verified, waiting for review, or rejected and why.</summary>
    Task<IdentityVerificationStatus> StatusAsync(int userId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a verification of the user with what they sent on the verification page. Refuses (<see cref="Refuse"/>)
    /// what it cannot take, with the message for the field <see cref="IdentitySubmission.FieldName"/>.
    /// </summary>
    Task StartAsync(int userId, IdentitySubmission submission, CancellationToken cancellationToken);
}

/// <summary>What the user sent: a file's name as their browser gave it, and its bytes (at most the page's request limit).</summary>
public sealed record IdentitySubmission(string FileName, byte[] Content)
{
    public const string FieldName = "Document";
}

/// <summary>
/// The user's verification as the user sees it. <paramref name="PendingSince"/> is set while a submission waits for
/// review; <paramref name="RejectedReason"/> when the last decision was a rejection (the user may try again).
/// </summary>
public sealed record IdentityVerificationStatus(
    DateTimeOffset? VerifiedAt, DateTimeOffset? PendingSince, string? PendingFileName, string? RejectedReason, DateTimeOffset? RejectedAt)
{
    public bool IsVerified => VerifiedAt is not null;

    public bool IsPending => PendingSince is not null;
}

/// <summary>
/// The built-in method: the user uploads an image (JPEG, PNG, WebP) or a PDF of an identity document, recognised by its
/// first bytes, at most <see cref="IdentityDocument.MaxBytes"/>; it is stored encrypted in the database until an admin
/// approves or rejects it on the order page. A new upload replaces the one waiting.
/// </summary>
public sealed class DocumentUpload(
    PortalDbContext db, WriteUnit writes, IdentityDocumentProtection protection, ActivityWriter activity, Outbox outbox, TimeProvider time)
    : IIdentityVerificationMethod
{
    public const string UnitName = "DocumentUpload.Start";

    public async Task<IdentityVerificationStatus> StatusAsync(int userId, CancellationToken cancellationToken)
    {
        var verifiedAt = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.IdentityVerifiedAt).SingleOrDefaultAsync(cancellationToken);
        var last = await db.IdentityDocuments.AsNoTracking().Where(d => d.UserId == userId)
            .OrderByDescending(d => d.Id)
            .Select(d => new { d.Status, d.UploadedAt, d.FileName, d.RejectionReason, d.DecidedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return new IdentityVerificationStatus(
            verifiedAt,
            last?.Status == IdentityDocumentStatus.Pending ? last.UploadedAt : null,
            last?.Status == IdentityDocumentStatus.Pending ? last.FileName : null,
            last?.Status == IdentityDocumentStatus.Rejected ? last.RejectionReason : null,
            last?.Status == IdentityDocumentStatus.Rejected ? last.DecidedAt : null);
    }

    public async Task StartAsync(int userId, IdentitySubmission submission, CancellationToken cancellationToken)
    {
        if (submission.Content.Length == 0)
        {
            throw Refuse.Because(IdentitySubmission.FieldName, "The file is empty.");
        }

        if (submission.Content.Length > IdentityDocument.MaxBytes)
        {
            throw Refuse.Because(IdentitySubmission.FieldName, IdentityDocument.TooLarge);
        }

        var kind = IdentityDocument.KindOf(submission.Content) ?? throw Refuse.Because(IdentitySubmission.FieldName, IdentityDocument.Unaccepted);
        var fileName = IdentityDocument.StoredNameOf(submission.FileName, kind);

        // Encrypted before the write unit opens: Data Protection reads its key ring, which must not happen under the lock.
        var stored = protection.Protect(submission.Content);
        await writes.RunAsync(UnitName, async ct =>
        {
            if (!await db.LockAsync<User>(userId, ct))
            {
                throw Refuse.NotFound("User");
            }

            var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
            if (user.IsIdentityVerified)
            {
                throw Refuse.Because(IdentitySubmission.FieldName, "Your identity is already verified.");
            }

            var replaced = await db.IdentityDocuments.Where(d => d.UserId == userId && d.Status == IdentityDocumentStatus.Pending).ToListAsync(ct);
            db.IdentityDocuments.RemoveRange(replaced);
            db.IdentityDocuments.Add(IdentityDocument.Upload(userId, kind, fileName, submission.Content.Length, stored, time.GetUtcNow()));
            activity.Record(replaced.Count == 0
                ? $"User {user.Email} uploaded an identity document ({fileName}, {kind}) for verification"
                : $"User {user.Email} uploaded an identity document ({fileName}, {kind}) for verification, replacing the one waiting for review");
            outbox.Queue(user.Email!, new IdentityDocumentReceivedMail(user.FirstName, user.Email!, fileName, outbox.Link(VerificationPath)), userId: user.Id);
            await db.SaveChangesAsync(ct);
        }, cancellationToken);
    }

    /// <summary>The user's page of identity verification, linked from the order, the dashboard and the e-mails.</summary>
    public const string VerificationPath = "/user/verify-identity";
}
