using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;

namespace Portal.Infrastructure.Web;

public static class WebSetup
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services, IConfiguration configuration)
    {
        // "Request starting" lines carry the full path, and invitation paths carry a secret (see TokenPathRedaction).
        services.AddLogging(l => l.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PagePaths>();
        services.AddMediator(o => o.ServiceLifetime = ServiceLifetime.Scoped);
        services.AddScoped(typeof(Mediator.IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(Mediator.IPipelineBehavior<,>), typeof(TransactionBehavior<,>));
        services.AddScoped<WriteUnit>();
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddScoped<Activity.ActivityWriter>();

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AddFolderApplicationModelConvention("/", page =>
                {
                    if (AdminArea.Holds(page.ViewEnginePath))
                    {
                        page.EndpointMetadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(AuthSchemes.AdminPolicy));
                    }
                });
                o.Conventions.Add(new RouteIdsFromRouteOnly());
            })
            .AddMvcOptions(o =>
            {
                o.Filters.AddService<AccountAccessFilter>();
                o.Filters.Add<HandledRequests>();
                o.Filters.Add<ValidationFilter>();
                o.Filters.Add(new Microsoft.AspNetCore.Mvc.AutoValidateAntiforgeryTokenAttribute());
                o.MaxModelBindingCollectionSize = 200;

                // Amounts and choices bind one way on every form (StrictValueBinding), ahead of MVC's own binders.
                o.ModelBinderProviders.Insert(0, new StrictValueBinderProvider());
            })
            .AddViewOptions(o =>
            {
                // Forms are validated on the server only: asp-for writes no data-val attributes.
                o.HtmlHelperOptions.ClientValidationEnabled = false;
            });
        var cookies = CookieNames.For(configuration);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = cookies.Antiforgery;
            o.Cookie.SecurePolicy = cookies.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        services.AddPortalRateLimits(configuration);
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.None);
        services.PostConfigure<HostFilteringOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]))
            {
                o.AllowedHosts = AllowedHosts.From(configuration["Portal:BaseUrl"]);
            }
        });
        return services;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        app.UseMiddleware<TokenPathRedaction>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",

            // A write that found the database busy outside a page handler (the session check's save, say) is not an error.
            StatusCodeSelector = e => e is BusyException || Data.Contention.IsBusy(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // Admin pages that allow anonymous visitors (login, logout) still need to know which admin, if any, is here.
            if (context.Request.Path.StartsWithSegments("/admin"))
            {
                await context.AuthenticateAsync(AuthSchemes.Admin);
            }

            await next(context);
        });
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapRazorPages();
        // For a load balancer: 200 "ok" while this instance reaches the database, 503 when it does not.
        app.MapGet("/healthz", async (Data.PortalDbContext db, CancellationToken cancellationToken) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? Results.Text("ok")
                : Results.Text("database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable)).AllowAnonymous();

        // An unknown address is a 404 for everyone, not a login page (the fallback policy would otherwise ask for one).
        app.MapFallback("{*path}", () => Results.NotFound()).AllowAnonymous();
        return app;
    }
}
