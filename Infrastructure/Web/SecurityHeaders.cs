namespace Portal.Infrastructure.Web;

/// <summary>The security headers (HeaderTests pins each) on every response: pages, redirects, errors and static files.</summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>
    /// The jobs dashboard (Hangfire's own pages) writes style attributes and its charts add a style element; on that path
    /// only, inline styles are allowed. Scripts stay 'self' everywhere.
    /// </summary>
    private const string JobsContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public const string JobsPath = "/admin/jobs";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The dashboard moves its mount point into PathBase while it writes.
            var path = context.Request.PathBase.Add(context.Request.Path);
            headers.ContentSecurityPolicy = path.StartsWithSegments(JobsPath) ? JobsContentSecurityPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (!headers.ContainsKey("Referrer-Policy"))
            {
                headers["Referrer-Policy"] = "same-origin";
            }

            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            // Anything rendered for a signed-in visitor, and every dynamic page, stays out of shared and browser caches.
            if (!context.Request.Path.StartsWithSegments("/lib") && !context.Request.Path.StartsWithSegments("/css")
                && !context.Request.Path.StartsWithSegments("/js"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>Token pages carry their secret in the URL: the browser must not pass it on to another site.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NoReferrerAttribute : Microsoft.AspNetCore.Mvc.Filters.ResultFilterAttribute
{
    public override void OnResultExecuting(Microsoft.AspNetCore.Mvc.Filters.ResultExecutingContext context) =>
        context.HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
}
