using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;

namespace Portal.Features.Identity;

/// <summary>
/// Streams a user's pending identity document to an admin: an image inline (so it opens in the browser), a PDF as a
/// download, always with the Content-Type of what its bytes are, never of what the uploader claimed.
/// </summary>
public sealed class IdentityDocumentFilePage(ISender sender) : PageModel
{
    [FromRoute(Name = "id")]
    public int UserId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new IdentityDocumentFile.Query(UserId), cancellationToken) is not { } file)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        Response.Headers.XContentTypeOptions = "nosniff";
        var disposition = new ContentDispositionHeaderValue(IdentityDocument.IsImage(file.Kind) ? "inline" : "attachment");
        disposition.SetHttpFileName(file.FileName);
        Response.Headers.ContentDisposition = disposition.ToString();
        return File(file.Content, file.ContentType);
    }
}
