using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Per-IP limits on the pages that guess or send: sign-in, registration, password reset, token pages and guest tickets.
/// (Invitation sends are limited per account by the InviteUser use case itself, counting only real sends.)
/// Only form posts count; reading the page is free. A limited visitor gets a 429 page.
/// Every password check, wherever its form is (the login pages, the invitation page's log-in form), also counts
/// against one per-IP password limit of the same size: pages declare it with <see cref="ChecksPasswordAttribute"/>.
/// </summary>
public static class RateLimits
{
    public const string Auth = "auth";
    public const string Tokens = "tokens";
    public const string GuestTickets = "guest-tickets";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var authPerMinute = configuration.GetValue("RateLimits:AuthPerMinute", 20);
        var tokensPerMinute = configuration.GetValue("RateLimits:TokensPerMinute", 30);
        var guestTicketsPerHour = configuration.GetValue("RateLimits:GuestTicketsPerHour", 5);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Auth, context => PostsPerIp(context, authPerMinute, TimeSpan.FromMinutes(1)));
            o.AddPolicy(Tokens, context => PostsPerIp(context, tokensPerMinute, TimeSpan.FromMinutes(1), everyRequest: true));
            // Only a form post opens a ticket; any other method is answered 405 and costs the visitor nothing.
            o.AddPolicy(GuestTickets, context => HttpMethods.IsPost(context.Request.Method)
                ? FixedWindow(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", guestTicketsPerHour, TimeSpan.FromHours(1))
                : RateLimitPartition.GetNoLimiter("read"));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => ChecksPassword(context)
                ? FixedWindow("password " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), authPerMinute, TimeSpan.FromMinutes(1))
                : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }

    private static RateLimitPartition<string> PostsPerIp(HttpContext context, int permits, TimeSpan window, bool everyRequest = false)
    {
        if (!everyRequest && HttpMethods.IsGet(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }

        return FixedWindow(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", permits, window);
    }

    private static RateLimitPartition<string> FixedWindow(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });

    /// <summary>A post to a page handler that checks a password (the handler comes from the route or the query, as Razor Pages picks it).</summary>
    private static bool ChecksPassword(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<ChecksPasswordAttribute>() is not { } checks)
        {
            return false;
        }

        var handler = context.GetRouteValue("handler")?.ToString();
        if (string.IsNullOrEmpty(handler))
        {
            handler = context.Request.Query["handler"].FirstOrDefault();
        }

        return checks.Handlers.Count == 0 || checks.Handlers.Contains(handler ?? "", StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>
/// The page's posts (all of them, or those of the named handlers) check a password, so each counts against the
/// per-IP password limit, whatever other limit the page has.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ChecksPasswordAttribute(params string[] handlers) : Attribute
{
    public IReadOnlyList<string> Handlers { get; } = handlers;
}
