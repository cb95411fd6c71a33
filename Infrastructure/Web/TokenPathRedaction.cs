namespace Portal.Infrastructure.Web;

/// <summary>
/// Invitation links (<c>/invite/{token}</c>), ownership transfer links (<c>/ownership/{token}</c>) and guests' ticket links (<c>/support/ticket/{token}</c>) carry their
/// secret in the path. This middleware, first in the pipeline, takes the token out of the request path before routing,
/// logging or error handling see it, and keeps it for the page in <see cref="HttpContext.Items"/>. The host's own
/// "request starting" log is held at Warning for the same reason.
/// </summary>
public sealed class TokenPathRedaction(RequestDelegate next)
{
    public const string Prefix = "/invite/";
    public const string GuestTicketPrefix = "/support/ticket/";
    public const string OwnershipPrefix = "/ownership/";
    public const string Placeholder = "link";
    private const string ItemKey = "portal.path-token";
    private static readonly string[] Prefixes = [Prefix, GuestTicketPrefix, OwnershipPrefix];

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        foreach (var prefix in Prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && path.Length > prefix.Length && !context.Items.ContainsKey(ItemKey))
            {
                context.Items[ItemKey] = path[prefix.Length..];
                context.Request.Path = prefix + Placeholder;
                break;
            }
        }

        return next(context);
    }

    /// <summary>The token of this request's invitation or guest ticket link, or null.</summary>
    public static string? TokenOf(HttpContext context) => context.Items[ItemKey] as string;
}
