namespace Portal.Infrastructure.Web;

/// <summary>
/// Invitation links carry their secret in the path (<c>/invite/{token}</c>). This middleware, first in the pipeline,
/// takes the token out of the request path before routing, logging or error handling see it, and keeps it for the
/// page in <see cref="HttpContext.Items"/>. The host's own "request starting" log is held at Warning for the same reason.
/// </summary>
public sealed class TokenPathRedaction(RequestDelegate next)
{
    public const string Prefix = "/invite/";
    public const string Placeholder = "link";
    private const string ItemKey = "portal.invitation-token";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && path.Length > Prefix.Length && !context.Items.ContainsKey(ItemKey))
        {
            context.Items[ItemKey] = path[Prefix.Length..];
            context.Request.Path = Prefix + Placeholder;
        }

        return next(context);
    }

    /// <summary>The token of this request's invitation link, or null.</summary>
    public static string? TokenOf(HttpContext context) => context.Items[ItemKey] as string;
}
