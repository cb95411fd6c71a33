using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Infrastructure.Web;

/// <summary>
/// A download written line by line as its lines are produced, so a file of a hundred thousand rows never sits in
/// memory. UTF-8 with a byte-order mark, which lets spreadsheet programs read it as UTF-8 rather than the local code page.
/// </summary>
public sealed class StreamedText(string fileName, string contentType, IAsyncEnumerable<string> lines) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024);
        await foreach (var line in lines.WithCancellation(context.HttpContext.RequestAborted))
        {
            await writer.WriteAsync(line);
        }

        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
