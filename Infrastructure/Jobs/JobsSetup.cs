using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Email;

namespace Portal.Infrastructure.Jobs;

public static class JobsSetup
{
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());

        // Tests switch the server off and run job classes directly, so that nothing happens behind their backs.
        if (configuration.GetValue("Jobs:RunServer", true))
        {
            services.AddHangfireServer(o => o.WorkerCount = Math.Max(2, Environment.ProcessorCount));
        }

        return services;
    }

    public static WebApplication UsePortalJobs(this WebApplication app)
    {
        app.MapHangfireDashboard(Web.SecurityHeaders.JobsPath, new DashboardOptions
        {
            AsyncAuthorization = [new AdminDashboardAuthorization()],
            AppPath = "/admin",
            DashboardTitle = $"{app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalOptions>>().Value.CompanyName} jobs",
        }).RequireAuthorization(AuthSchemes.AdminPolicy);
        RegisterRecurringJobs(app.Services.GetRequiredService<IRecurringJobManager>());
        Features.Tickets.ImportMail.FetchImapMail.Register(app.Services.GetRequiredService<IRecurringJobManager>(), app.Configuration);
        return app;
    }

    public static void RegisterRecurringJobs(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<OutboxSender>("outbox-sweep", s => s.SendPendingAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<Features.ExpireInvitations.ExpireInvitations.Job>(
            Features.ExpireInvitations.ExpireInvitations.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(3));
        jobs.AddOrUpdate<Features.PruneInactive.PruneInactive.Job>(
            Features.PruneInactive.PruneInactive.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(4));
    }
}

/// <summary>The jobs dashboard is for signed-in admins only: the admin cookie is checked like any admin page.</summary>
public sealed class AdminDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(AuthSchemes.Admin);
        return result.Succeeded && result.Principal.HasClaim(c => c.Type == PortalClaims.AdminId);
    }
}
