using System.Net;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Billing;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Infrastructure.Email;
using Portal.Tests.Features.Billing;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

/// <summary>
/// Identity verification by the user: asked on the order, the dashboard and by e-mail when the provider requires it;
/// an identity document uploaded, checked by its content, stored encrypted, and deleted when the admin approves or
/// rejects it; the order goes on after an approval; nobody else reaches the document.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class VerifyIdentityTests(PortalFixture portal)
{
    private const string Path = "/user/verify-identity";

    private readonly SliceFixture slice = new(portal);

    /// <summary>A small PNG: the signature, then a marker the stored bytes must not show.</summary>
    public static byte[] Png(string marker = "PLAINTEXT-PASSPORT-NUMBER-X12345") =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.ASCII.GetBytes(marker)];

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

    /// <summary>Posts the page's upload form as a browser does, multipart with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(Browser browser, string fileName, string contentType, byte[] content)
    {
        var token = await browser.AntiforgeryTokenAsync(Path);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new(contentType);
        form.Add(file, "Input.Document", fileName);
        return await browser.Client.PostAsync(Path, form);
    }

    /// <summary>An account whose member placed an order that waits for the member's identity, the setting on.</summary>
    private async Task<(User Member, int OrderId)> WaitingOrderAsync(string company)
    {
        var (_, client) = await portal.CreateOwnerAsync(company);
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("verify-identity"), "Ida", "Identity");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Orders);
        await slice.SetVerificationRequiredAsync(true);
        var orderId = await slice.PlaceOrderAsync(client.Id, member.Id, (await slice.ProductAsync(), 1));
        Assert.Equal(OrderStatus.PendingVerification, (await slice.FindAsync<Order>(orderId))!.Status);
        return (member, orderId);
    }

    private Task<List<IdentityDocument>> DocumentsOfAsync(int userId) =>
        portal.WithDbAsync(db => db.IdentityDocuments.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.Id).ToListAsync());

    private Task<List<string>> MailKindsToAsync(string email) =>
        portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == email).OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync());

    [Fact]
    public async Task The_user_is_asked_uploads_a_document_the_admin_approves_it_and_the_order_goes_on_with_the_document_deleted()
    {
        try
        {
            var (member, orderId) = await WaitingOrderAsync("Approve Identity Co");
            Assert.Contains(Outbox.KindOf(typeof(IdentityVerificationRequestedMail)), await MailKindsToAsync(member.Email!));

            using var user = await portal.LoginAsync(member.Email!);
            var order = await user.GetAsync($"/orders/{orderId}");
            Assert.Equal(Path, order.Document.QuerySelector("[data-verification-banner] [data-verify-identity-link]")!.GetAttribute("href"));
            var dashboard = await user.GetAsync("/dashboard");
            Assert.Equal(Path, dashboard.Document.QuerySelector("[data-attention-identity] [data-verify-identity-link]")!.GetAttribute("href"));

            var png = Png();
            var uploaded = await UploadAsync(user, "C:\\scans\\my passport.png", "image/png", png);
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
            var page = await user.FollowAsync(uploaded);
            Assert.Contains("my passport.png", page.Document.QuerySelector("[data-identity-status=pending]")!.TextContent);
            Assert.NotNull((await user.GetAsync($"/orders/{orderId}")).Document.QuerySelector("[data-verification-pending]"));

            // Stored encrypted with the farm's Data Protection keys: the row never holds the file's bytes.
            var stored = (await DocumentsOfAsync(member.Id)).Single();
            Assert.Equal(IdentityDocumentStatus.Pending, stored.Status);
            Assert.Equal(png.Length, stored.Length);
            Assert.NotNull(stored.ProtectedContent);
            Assert.NotEqual(png, stored.ProtectedContent);
            Assert.DoesNotContain("PLAINTEXT-PASSPORT", Encoding.ASCII.GetString(stored.ProtectedContent!));
            var protector = portal.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(IdentityDocumentProtection.Purpose);
            Assert.Equal(png, protector.Unprotect(stored.ProtectedContent!));

            using var admin = await portal.CreateAdminBrowserAsync();
            var adminOrder = await admin.GetAsync($"/admin/orders/{orderId}");
            var link = adminOrder.Document.QuerySelector($"[data-identity-document='{stored.Id}'] [data-view-document]")!;
            Assert.Equal("my passport.png", link.TextContent.Trim());
            using (var file = await admin.Client.GetAsync(link.GetAttribute("href")))
            {
                Assert.Equal(HttpStatusCode.OK, file.StatusCode);
                Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
                Assert.Equal("inline", file.Content.Headers.ContentDisposition!.DispositionType);
                Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
                Assert.Equal(png, await file.Content.ReadAsByteArrayAsync());
            }

            var manageUser = await admin.GetAsync($"/admin/users/{member.Id}");
            Assert.Equal(link.GetAttribute("href"), manageUser.Document.QuerySelector("[data-pending-document] a")!.GetAttribute("href"));

            var approved = await admin.SubmitAsync(adminOrder, [], "form[data-approve-document]");
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

            Assert.Equal(OrderStatus.Pending, (await slice.FindAsync<Order>(orderId))!.Status);
            Assert.NotNull((await slice.FindAsync<User>(member.Id))!.IdentityVerifiedAt);
            var decided = (await DocumentsOfAsync(member.Id)).Single();
            Assert.Equal(IdentityDocumentStatus.Approved, decided.Status);
            Assert.Null(decided.ProtectedContent);
            Assert.NotNull(decided.DecidedByAdminId);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(link.GetAttribute("href"))).StatusCode);
            Assert.Contains(Outbox.KindOf(typeof(IdentityDocumentReceivedMail)), await MailKindsToAsync(member.Email!));
            Assert.Contains(Outbox.KindOf(typeof(IdentityVerifiedMail)), await MailKindsToAsync(member.Email!));
            var log = await portal.WithDbAsync(db => db.ActivityLog.Select(e => e.Description).ToListAsync());
            Assert.Contains($"User {member.Email} uploaded an identity document (my passport.png, Png) for verification", log);
            Assert.Contains($"Identity document my passport.png of {member.Email} approved, and deleted", log);
            Assert.Contains($"Order #{orderId} no longer waits for the identity verification of {member.Email}", log);
            Assert.NotNull((await user.GetAsync(Path)).Document.QuerySelector("[data-identity-status=verified]"));
            Assert.Null((await user.GetAsync("/dashboard")).Document.QuerySelector("[data-attention-identity]"));
        }
        finally
        {
            await slice.SetVerificationRequiredAsync(false);
        }
    }

    [Fact]
    public async Task A_rejected_document_is_deleted_the_user_is_told_why_and_may_upload_again()
    {
        try
        {
            var (member, orderId) = await WaitingOrderAsync("Reject Identity Co");
            using var user = await portal.LoginAsync(member.Email!);
            Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(user, "licence.pdf", "application/pdf", Pdf())).StatusCode);
            using var admin = await portal.CreateAdminBrowserAsync();

            var noReason = await admin.SubmitAsync($"/admin/orders/{orderId}", new() { ["Rejection.Reason"] = "  " }, "form[data-reject-document]");
            var refused = await Page.ReadAsync(noReason);
            Assert.Equal(HttpStatusCode.OK, refused.Status);
            Assert.Contains("A reason", refused.Document.QuerySelector("[data-reject-document] span.text-danger")!.TextContent);
            Assert.Equal(IdentityDocumentStatus.Pending, (await DocumentsOfAsync(member.Id)).Single().Status);

            var rejected = await admin.SubmitAsync($"/admin/orders/{orderId}", new() { ["Rejection.Reason"] = "The scan is too blurry to read." }, "form[data-reject-document]");
            Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);

            var decided = (await DocumentsOfAsync(member.Id)).Single();
            Assert.Equal((IdentityDocumentStatus.Rejected, "The scan is too blurry to read."), (decided.Status, decided.RejectionReason));
            Assert.Null(decided.ProtectedContent);
            Assert.Equal(OrderStatus.PendingVerification, (await slice.FindAsync<Order>(orderId))!.Status);
            Assert.Null((await slice.FindAsync<User>(member.Id))!.IdentityVerifiedAt);
            var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == member.Email && m.Kind == Outbox.KindOf(typeof(IdentityDocumentRejectedMail))).SingleAsync());
            Assert.Contains("The scan is too blurry to read.", mail.TextBody);
            Assert.Contains($"Identity document licence.pdf of {member.Email} rejected, and deleted: The scan is too blurry to read.",
                await portal.WithDbAsync(db => db.ActivityLog.Select(e => e.Description).ToListAsync()));

            var page = await user.GetAsync(Path);
            Assert.Equal("The scan is too blurry to read.", page.Document.QuerySelector("[data-identity-status=rejected] [data-rejection-reason]")!.TextContent);
            Assert.Contains("The scan is too blurry to read.", (await user.GetAsync($"/orders/{orderId}")).Document.QuerySelector("[data-verification-rejected]")!.TextContent);
            Assert.Contains("The scan is too blurry to read.", (await user.GetAsync("/dashboard")).Document.QuerySelector("[data-attention-identity]")!.TextContent);

            Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(user, "passport.jpg", "image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])).StatusCode);
            var documents = await DocumentsOfAsync(member.Id);
            Assert.Equal([IdentityDocumentStatus.Rejected, IdentityDocumentStatus.Pending], documents.Select(d => d.Status));
            Assert.Equal(IdentityDocumentKind.Jpeg, documents[1].Kind);
            Assert.NotNull((await admin.GetAsync($"/admin/orders/{orderId}")).Document.QuerySelector($"[data-identity-document='{documents[1].Id}']"));

            // The first decision's document is gone: deciding on it again is refused, and nothing changes.
            var again = await Page.ReadAsync(await admin.PostAsync($"/admin/orders/{orderId}?handler=ApproveDocument",
                [new("__RequestVerificationToken", await admin.AntiforgeryTokenAsync($"/admin/orders/{orderId}")), new("documentId", decided.Id.ToString())]));
            Assert.Contains(IdentityDocument.CannotDecideText, again.Text);
            Assert.Null((await slice.FindAsync<User>(member.Id))!.IdentityVerifiedAt);
        }
        finally
        {
            await slice.SetVerificationRequiredAsync(false);
        }
    }

    [Theory]
    [InlineData("passport.pdf", "application/pdf", "<!DOCTYPE html><html><script>alert(1)</script></html>")]
    [InlineData("passport.png", "image/png", "MZ\u0090\u0000\u0003 This program cannot be run in DOS mode.")]
    [InlineData("passport.jpg", "image/jpeg", "GIF89a not one of the accepted images")]
    [InlineData("passport.webp", "image/webp", "RIFF....WAVEfmt ")]
    public async Task A_file_that_is_not_an_image_or_a_pdf_is_refused_whatever_its_name_and_type(string name, string type, string content)
    {
        var member = await portal.CreateUserAsync();
        using var user = await portal.LoginAsync(member.Email!);

        var response = await UploadAsync(user, name, type, Encoding.Latin1.GetBytes(content));

        var page = await Page.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(IdentityDocument.Unaccepted, page.ErrorFor("Input.Document"));
        Assert.Empty(await DocumentsOfAsync(member.Id));
    }

    [Fact]
    public async Task A_file_over_5_MB_is_refused_with_a_message_and_a_body_over_the_page_limit_is_never_read()
    {
        var member = await portal.CreateUserAsync();
        using var user = await portal.LoginAsync(member.Email!);
        var justOver = new byte[IdentityDocument.MaxBytes + 1];
        Png().CopyTo(justOver, 0);

        var page = await Page.ReadAsync(await UploadAsync(user, "big.png", "image/png", justOver));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(IdentityDocument.TooLarge, page.ErrorFor("Input.Document"));

        var huge = new byte[VerifyIdentityPage.RequestMax + 1024 * 1024];
        Png().CopyTo(huge, 0);
        var refused = await UploadAsync(user, "huge.png", "image/png", huge);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var shown = await user.FollowAsync(refused);
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Contains(IdentityDocument.TooLarge, shown.Text);
        Assert.Empty(await DocumentsOfAsync(member.Id));
    }

    [Fact]
    public async Task Only_an_admin_reaches_a_document_and_a_user_sees_only_their_own_verification()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Private Identity Co");
        var colleague = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, colleague.Id, [.. Enum.GetValues<Permission>()]);
        using var uploader = await portal.LoginAsync(owner.Email!);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(uploader, "owner-passport.png", "image/png", Png())).StatusCode);
        var documentPath = $"/admin/users/{owner.Id}/identity-document";

        using var other = await portal.LoginAsync(colleague.Email!);
        using var anonymous = portal.NewBrowser();
        foreach (var visitor in new[] { uploader, other, anonymous })
        {
            using var response = await visitor.Client.GetAsync(documentPath);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("PLAINTEXT-PASSPORT", await response.Content.ReadAsStringAsync());
        }

        var theirs = await other.GetAsync(Path);
        Assert.NotNull(theirs.Document.QuerySelector("[data-identity-status=none]"));
        Assert.DoesNotContain("owner-passport", theirs.Text);

        // A user id in the form is not read: the upload is always the signed-in user's own.
        var token = await other.AntiforgeryTokenAsync(Path);
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent(owner.Id.ToString()), "Input.UserId" } };
        form.Add(new ByteArrayContent(Pdf()) { Headers = { ContentType = new("application/pdf") } }, "Input.Document", "colleague.pdf");
        Assert.Equal(HttpStatusCode.Redirect, (await other.Client.PostAsync(Path, form)).StatusCode);
        Assert.Equal(["owner-passport.png"], (await DocumentsOfAsync(owner.Id)).Select(d => d.FileName));
        Assert.Equal(["colleague.pdf"], (await DocumentsOfAsync(colleague.Id)).Select(d => d.FileName));

        using var admin = await portal.CreateAdminBrowserAsync();
        using var pdf = await admin.Client.GetAsync($"/admin/users/{colleague.Id}/identity-document");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", pdf.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task A_new_upload_replaces_the_one_waiting_so_a_user_has_one_pending_document()
    {
        var member = await portal.CreateUserAsync();
        using var user = await portal.LoginAsync(member.Email!);

        await UploadAsync(user, "first.png", "image/png", Png());
        await UploadAsync(user, "second.pdf", "application/pdf", Pdf());

        var pending = (await DocumentsOfAsync(member.Id)).Single();
        Assert.Equal(("second.pdf", IdentityDocumentKind.Pdf), (pending.FileName, pending.Kind));
    }
}
