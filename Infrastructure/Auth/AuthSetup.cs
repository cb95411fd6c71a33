using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Auth;

public static class AuthSetup
{
    public const int PasswordHashIterations = 210_000;

    public static IServiceCollection AddPortalAuth(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AccountContext>();
        services.AddScoped<AdminContext>();
        services.AddScoped<ClientSignIn>();
        services.AddScoped<AdminSignIn>();
        services.AddScoped<AccountAccessFilter>();

        // Keys live in the database, so that every instance behind a load balancer accepts every other's cookies and forms.
        services.AddDataProtection().PersistKeysToDbContext<PortalDbContext>().SetApplicationName("Portal");

        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordHashIterations);
        services.AddSingleton<IPasswordHasher<Administrator>, PasswordHasher<Administrator>>();
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
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
                o.Cookie.Name = "portal";
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/error/403";
                o.ExpireTimeSpan = SessionLifetimes.ClientIdle;
                o.SlidingExpiration = true;
                ConfigureCookie(o);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateClientAsync;
            })
            .AddCookie(AuthSchemes.Admin, o =>
            {
                o.Cookie.Name = "portal-admin";
                o.Cookie.Path = "/admin";
                o.LoginPath = "/admin/login";
                o.LogoutPath = "/admin/logout";
                o.AccessDeniedPath = "/error/403";
                o.ExpireTimeSpan = SessionLifetimes.AdminIdle;
                o.SlidingExpiration = true;
                ConfigureCookie(o);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateAdminAsync;
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(AuthSchemes.Client).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Admin).RequireAuthenticatedUser().RequireClaim(PortalClaims.AdminId));

        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ReturnUrlParameter = "returnUrl";
    }
}

public static class LockoutPolicy
{
    public const int MaxFailedAttempts = 10;
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(15);
}
