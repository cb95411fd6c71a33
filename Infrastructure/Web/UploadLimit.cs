using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Portal.Infrastructure.Web;

/// <summary>
/// The most a page's request body may weigh, for pages that take a file. A body that says it is larger is never read:
/// the visitor is sent back to the page with <paramref name="message"/> as a warning, instead of the bare 400 of a
/// form that could not be read. A body longer than it said is cut off by the server at the same size, and a multipart
/// body beyond it cannot be read (a 400 with a message, never a 500).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UploadLimitAttribute(long bytes, string message) : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public long Bytes => bytes;

    /// <summary>Ahead of the antiforgery check, which reads the body.</summary>
    public int Order => -1000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = bytes;
        }

        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = bytes }));
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || !(http.Request.ContentLength > bytes))
        {
            return;
        }

        var tempData = http.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(http);
        tempData.Warning(message);
        tempData.Save();
        context.Result = new LocalRedirectResult(http.Request.PathBase + http.Request.Path + http.Request.QueryString);
    }
}
