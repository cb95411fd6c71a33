using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;
using Portal.Features.Identity;

namespace Portal.Infrastructure.Auth;

public static class AuthSetup
{
    public const int PasswordHashIterations = 210_000;

    public static IServiceCollection AddPortalAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var names = CookieNames.For(configuration);
        services.AddHttpContextAccessor();
        services.AddScoped<AccountContext>();
        services.AddScoped<Dates.ViewerDates>();
        services.AddScoped<AdminContext>();
        services.AddScoped<ClientSignIn>();
        services.AddScoped<AdminSignIn>();
        services.AddScoped<KnownBrowsers>();
        services.AddMemoryCache();
        services.AddScoped<AccountAccessFilter>();

        // Keys live in the database, so that every instance behind a load balancer accepts every other's cookies and forms.
        services.AddPortalKeys(configuration);

        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordHashIterations);
        services.AddSingleton<IPasswordHasher<Administrator>, PasswordHasher<Administrator>>();
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;

                // The user name is the e-mail address, so it allows what the e-mail rules allow (o'brien@, josé@, a&b@):
                // Identity's default list of user-name characters would refuse addresses that can be invited.
                o.User.AllowedUserNameCharacters = "";
                o.Password.RequiredLength = FieldLengths.PasswordMin;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = LockoutPolicy.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = LockoutPolicy.Duration;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<StrongPasswordValidator>();

        services.AddAuthentication(AuthSchemes.Client)
            .AddCookie(AuthSchemes.Client, o =>
            {
                o.Cookie.Name = names.Client;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/error/403";
                o.ExpireTimeSpan = SessionLifetimes.ClientIdle;
                o.SlidingExpiration = true;
                ConfigureCookie(o, names);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateClientAsync;
            })
            .AddCookie(AuthSchemes.Admin, o =>
            {
                o.Cookie.Name = names.Admin;
                o.Cookie.Path = "/admin";
                o.LoginPath = "/admin/login";
                o.LogoutPath = "/admin/logout";
                o.AccessDeniedPath = "/error/403";
                o.ExpireTimeSpan = SessionLifetimes.AdminIdle;
                o.SlidingExpiration = true;
                ConfigureCookie(o, names);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateAdminAsync;
            })
            .AddCookie(AuthSchemes.ClientPending, o => ConfigurePending(o, names, names.ClientPending, "/login"))
            .AddCookie(AuthSchemes.AdminPending, o => ConfigurePending(o, names, names.AdminPending, "/admin/login"));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(AuthSchemes.Client).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Admin).RequireAuthenticatedUser().RequireClaim(PortalClaims.AdminId));

        return services;
    }

    /// <summary>The half-signed-in cookie: sent to the login pages only, never renewed, gone after the code step's few minutes.</summary>
    private static void ConfigurePending(CookieAuthenticationOptions o, CookieNames names, string name, string path)
    {
        o.Cookie.Name = name;
        o.Cookie.Path = path;
        o.LoginPath = path;
        o.ExpireTimeSpan = SessionLifetimes.SecondFactorStep;
        o.SlidingExpiration = false;
        ConfigureCookie(o, names);
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, CookieNames names)
    {
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = names.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        o.ReturnUrlParameter = "returnUrl";

        // The handler builds these from the request's Host header; a path on this site needs no host at all.
        o.Events.OnRedirectToLogin = RedirectWithinSite;
        o.Events.OnRedirectToAccessDenied = RedirectWithinSite;
        o.Events.OnRedirectToLogout = RedirectWithinSite;
        o.Events.OnRedirectToReturnUrl = RedirectWithinSite;
    }

    private static Task RedirectWithinSite(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(LocalUrl.Encode(PathOf(context.RedirectUri)));
        return Task.CompletedTask;
    }

    /// <summary><c>http://any.host/login?returnUrl=%2F</c> → <c>/login?returnUrl=%2F</c>; a relative url stays as it is.</summary>
    public static string PathOf(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || url.StartsWith('/'))
        {
            return url;
        }

        var path = url.IndexOf('/', scheme + 3);
        return path < 0 ? "/" : url[path..];
    }
}

/// <summary>
/// Cookie names and flags. Served over HTTPS (a <c>Portal:BaseUrl</c> starting with https), cookies are always Secure
/// and prefixed: <c>__Host-</c> for those on the whole site, <c>__Secure-</c> for the admin cookie, which is scoped to /admin.
/// </summary>
public sealed record CookieNames(string Client, string Admin, string Antiforgery, bool Secure)
{
    public string ClientPending => Secure ? "__Secure-portal-pending" : "portal-pending";

    public string AdminPending => Secure ? "__Secure-portal-admin-pending" : "portal-admin-pending";

    public static CookieNames For(IConfiguration configuration) =>
        (configuration["Portal:BaseUrl"] ?? "").StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new CookieNames("__Host-portal", "__Secure-portal-admin", "__Host-portal-af", true)
            : new CookieNames("portal", "portal-admin", "portal-af", false);
}
