using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Identity;

/// <summary>
/// The identity document a user uploaded and that waits for review, decrypted for the admin who decides on it. Only a
/// pending document has bytes: after the decision there is nothing to show.
/// </summary>
public static class IdentityDocumentFile
{
    public sealed record Query(int UserId) : IQuery<File?>;

    public sealed record File(string FileName, IdentityDocumentKind Kind, byte[] Content)
    {
        public string ContentType => IdentityDocument.ContentTypeOf(Kind);
    }

    internal sealed class Handler(PortalDbContext db, IdentityDocumentProtection protection) : IQueryHandler<Query, File?>
    {
        public async ValueTask<File?> Handle(Query query, CancellationToken cancellationToken)
        {
            var document = await db.IdentityDocuments.AsNoTracking()
                .Where(d => d.UserId == query.UserId && d.Status == IdentityDocumentStatus.Pending && d.ProtectedContent != null)
                .OrderByDescending(d => d.Id)
                .Select(d => new { d.FileName, d.Kind, d.ProtectedContent })
                .FirstOrDefaultAsync(cancellationToken);
            return document is null ? null : new File(document.FileName, document.Kind, protection.Unprotect(document.ProtectedContent!));
        }
    }
}
