using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Per-IP limits on the pages that guess or send (sign-in, registration, password reset, token pages), and
/// per-account limits on invitation sends.
/// Only form posts count; reading the page is free. A limited visitor gets a 429 page.
/// </summary>
public static class RateLimits
{
    public const string Auth = "auth";
    public const string Tokens = "tokens";
    public const string Invitations = "invitations";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var authPerMinute = configuration.GetValue("RateLimits:AuthPerMinute", 20);
        var tokensPerMinute = configuration.GetValue("RateLimits:TokensPerMinute", 30);
        var invitationsPerHour = configuration.GetValue("RateLimits:InvitationsPerHour", 30);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Auth, context => PostsPerIp(context, authPerMinute, TimeSpan.FromMinutes(1)));
            o.AddPolicy(Tokens, context => PostsPerIp(context, tokensPerMinute, TimeSpan.FromMinutes(1), everyRequest: true));
            o.AddPolicy(Invitations, context => PostsPerAccount(context, invitationsPerHour, TimeSpan.FromHours(1)));
        });
        return services;
    }

    /// <summary>Invitation sends count against the client account they are sent from, whoever sends them.</summary>
    private static RateLimitPartition<string> PostsPerAccount(HttpContext context, int permits, TimeSpan window)
    {
        var clientId = context.RequestServices.GetService<Auth.AccountContext>()?.Account?.ClientId;
        if (clientId is null || HttpMethods.IsGet(context.Request.Method))
        {
            return PostsPerIp(context, permits, window);
        }

        return RateLimitPartition.GetFixedWindowLimiter($"client:{clientId}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });
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
