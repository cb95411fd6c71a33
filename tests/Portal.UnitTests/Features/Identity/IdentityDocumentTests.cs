using System.Text;
using Portal.Features.Identity;

namespace Portal.UnitTests.Features.Identity;

public sealed class IdentityDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, IdentityDocumentKind.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, IdentityDocumentKind.Png)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 2, 3, 4, (byte)'W', (byte)'E', (byte)'B', (byte)'P', (byte)'V' }, IdentityDocumentKind.WebP)]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, IdentityDocumentKind.Pdf)]
    public void The_kind_is_read_from_the_first_bytes(byte[] content, IdentityDocumentKind kind) =>
        Assert.Equal(kind, IdentityDocument.KindOf(content));

    [Theory]
    [InlineData("<!DOCTYPE html><html>")]
    [InlineData("MZ\u0090\u0000 program")]
    [InlineData("GIF89a")]
    [InlineData("RIFF1234WAVEfmt ")]
    [InlineData("%PD")]
    [InlineData(" %PDF-1.7")]
    [InlineData("")]
    public void Anything_else_is_no_kind_at_all(string content) =>
        Assert.Null(IdentityDocument.KindOf(Encoding.Latin1.GetBytes(content)));

    [Fact]
    public void Approving_keeps_the_decision_and_deletes_the_bytes_and_a_second_decision_is_refused()
    {
        var document = IdentityDocument.Upload(7, IdentityDocumentKind.Png, "id.png", 3, [1, 2, 3], Now);

        document.Approve(adminId: 2, Now.AddHours(1));

        Assert.Equal((IdentityDocumentStatus.Approved, (int?)2, (DateTimeOffset?)Now.AddHours(1)), (document.Status, document.DecidedByAdminId, document.DecidedAt));
        Assert.Null(document.ProtectedContent);
        Assert.Equal(IdentityDocument.CannotDecideText, document.CannotDecide());
        Assert.Throws<InvalidOperationException>(() => document.Reject(2, "late", Now.AddHours(2)));
    }

    [Fact]
    public void Rejecting_keeps_the_reason_and_deletes_the_bytes()
    {
        var document = IdentityDocument.Upload(7, IdentityDocumentKind.Pdf, "id.pdf", 3, [1, 2, 3], Now);
        Assert.Null(document.CannotDecide());

        document.Reject(adminId: 2, "Expired passport", Now);

        Assert.Equal((IdentityDocumentStatus.Rejected, "Expired passport"), (document.Status, document.RejectionReason));
        Assert.Null(document.ProtectedContent);
    }

    [Theory]
    [InlineData("C:\\Users\\me\\Scans\\passport.exe", IdentityDocumentKind.Pdf, "passport.pdf")]
    [InlineData("../../etc/passwd", IdentityDocumentKind.Png, "passwd.png")]
    [InlineData("\u202Eevil\u202Cgnp.js", IdentityDocumentKind.Jpeg, "evilgnp.jpg")]
    [InlineData("", IdentityDocumentKind.WebP, "identity-document.webp")]
    [InlineData(null, IdentityDocumentKind.Pdf, "identity-document.pdf")]
    public void The_stored_name_has_no_folders_or_controls_and_the_extension_of_its_content(string? given, IdentityDocumentKind kind, string stored) =>
        Assert.Equal(stored, IdentityDocument.StoredNameOf(given, kind));
}
