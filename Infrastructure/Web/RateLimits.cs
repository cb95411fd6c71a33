using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Per-IP limits on the pages that guess or send: sign-in, registration, password reset and token pages.
/// (Invitation sends are limited per account by the InviteUser use case itself, counting only real sends.)
/// Only form posts count; reading the page is free. A limited visitor gets a 429 page.
/// </summary>
public static class RateLimits
{
    public const string Auth = "auth";
    public const string Tokens = "tokens";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var authPerMinute = configuration.GetValue("RateLimits:AuthPerMinute", 20);
        var tokensPerMinute = configuration.GetValue("RateLimits:TokensPerMinute", 30);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Auth, context => PostsPerIp(context, authPerMinute, TimeSpan.FromMinutes(1)));
            o.AddPolicy(Tokens, context => PostsPerIp(context, tokensPerMinute, TimeSpan.FromMinutes(1), everyRequest: true));
        });
        return services;
    }

    private static RateLimitPartition<string> PostsPerIp(HttpContext context, int permits, TimeSpan window, bool everyRequest = false)
    {
        if (!everyRequest && HttpMethods.IsGet(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }

        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });
    }
}
