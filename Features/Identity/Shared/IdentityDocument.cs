namespace Portal.Features.Identity;

public enum IdentityDocumentStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>The kinds of file accepted as an identity document, each known by its first bytes, never by its name.</summary>
public enum IdentityDocumentKind
{
    Jpeg,
    Png,
    WebP,
    Pdf,
}

/// <summary>
/// An identity document a user uploaded for the provider to check who they are. Its bytes are kept encrypted
/// (<see cref="IdentityDocumentProtection"/>) only while it waits for an admin: the decision, approve or reject with a
/// reason, deletes them and keeps the decision. A user has at most one pending document; a new upload replaces it.
/// </summary>
public sealed class IdentityDocument
{
    /// <summary>The largest file accepted, 5 MB (README, "Identity verification").</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public const int FileNameMax = 200;
    public const int ReasonMax = 500;

    public int Id { get; private set; }
    public int UserId { get; private set; }
    public IdentityDocumentKind Kind { get; private set; }
    public string FileName { get; private set; } = "";
    public int Length { get; private set; }

    /// <summary>The file as Data Protection encrypted it; null once an admin decided.</summary>
    public byte[]? ProtectedContent { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }
    public IdentityDocumentStatus Status { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public int? DecidedByAdminId { get; private set; }
    public string? RejectionReason { get; private set; }

    private IdentityDocument()
    {
    }

    public static IdentityDocument Upload(int userId, IdentityDocumentKind kind, string fileName, int length, byte[] protectedContent, DateTimeOffset now) => new()
    {
        UserId = userId,
        Kind = kind,
        FileName = fileName,
        Length = length,
        ProtectedContent = protectedContent,
        UploadedAt = now,
        Status = IdentityDocumentStatus.Pending,
    };

    public bool IsPending => Status == IdentityDocumentStatus.Pending;

    /// <summary>Why no decision can be taken on this document now, or null when it can.</summary>
    public string? CannotDecide() => IsPending ? null : CannotDecideText;

    public const string CannotDecideText = "This document was already decided on, and its file deleted.";

    public void Approve(int? adminId, DateTimeOffset now) => Decide(IdentityDocumentStatus.Approved, adminId, null, now);

    public void Reject(int? adminId, string reason, DateTimeOffset now) => Decide(IdentityDocumentStatus.Rejected, adminId, reason, now);

    private void Decide(IdentityDocumentStatus status, int? adminId, string? reason, DateTimeOffset now)
    {
        if (CannotDecide() is { } why)
        {
            throw new InvalidOperationException(why);
        }

        Status = status;
        DecidedAt = now;
        DecidedByAdminId = adminId;
        RejectionReason = reason;

        // The document served its purpose: nothing of it is kept beyond the decision.
        ProtectedContent = null;
    }

    /// <summary>What the content's first bytes say the file is; null for anything else (an HTML page, a program), whatever its name.</summary>
    public static IdentityDocumentKind? KindOf(ReadOnlySpan<byte> content) => content switch
    {
        [0xFF, 0xD8, 0xFF, ..] => IdentityDocumentKind.Jpeg,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => IdentityDocumentKind.Png,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => IdentityDocumentKind.WebP,
        [(byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', ..] => IdentityDocumentKind.Pdf,
        _ => null,
    };

    public static string ContentTypeOf(IdentityDocumentKind kind) => kind switch
    {
        IdentityDocumentKind.Jpeg => "image/jpeg",
        IdentityDocumentKind.Png => "image/png",
        IdentityDocumentKind.WebP => "image/webp",
        _ => "application/pdf",
    };

    public static string ExtensionOf(IdentityDocumentKind kind) => kind switch
    {
        IdentityDocumentKind.Jpeg => ".jpg",
        IdentityDocumentKind.Png => ".png",
        IdentityDocumentKind.WebP => ".webp",
        _ => ".pdf",
    };

    /// <summary>
    /// The name the admin sees and downloads: the browser's file name without its folders, control characters or its own
    /// extension, with the extension of what the content is.
    /// </summary>
    public static string StoredNameOf(string? given, IdentityDocumentKind kind)
    {
        var name = Path.GetFileNameWithoutExtension((given ?? "").Replace('\\', '/').Split('/').Last());
        var safe = new string(name.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.').ToArray()).Trim(' ', '.');
        if (safe.Length == 0)
        {
            safe = "identity-document";
        }

        return safe[..Math.Min(safe.Length, FileNameMax - 10)] + ExtensionOf(kind);
    }

    public static bool IsImage(IdentityDocumentKind kind) => kind != IdentityDocumentKind.Pdf;

    public const string Unaccepted = "The file must be a JPEG, PNG or WebP image or a PDF.";
    public const string TooLarge = "The file is larger than 5 MB. Send a smaller scan or photo.";
}
