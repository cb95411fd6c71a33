using Portal.Features.Identity;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Portal.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Email;

namespace Portal.Infrastructure.Jobs;

public static class JobsSetup
{
    /// <summary>The PostgreSQL schema of Hangfire's tables, in the app's database.</summary>
    public const string PostgresSchema = "hangfire";

    /// <summary>Creates or upgrades Hangfire's tables; the caller holds the start-up lock.</summary>
    public static void InstallPostgresStorage(Npgsql.NpgsqlConnection connection) => PostgreSqlObjectsInstaller.Install(connection, PostgresSchema);

    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();

            // On PostgreSQL the job storage is shared by every instance: a recurring job is scheduled once across the
            // farm, and any instance's server may run it. On SQLite (one machine) jobs live in memory.
            if (configuration.UsesPostgres())
            {
                c.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(configuration.GetConnectionString("Portal")),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = PostgresSchema,

                        // Created at start-up under the start-up lock (InstallPostgresStorage): instances starting
                        // together would otherwise race to create the schema.
                        PrepareSchemaIfNecessary = false,

                        // A queued e-mail is picked up within a second, as with in-memory storage, not after 15.
                        QueuePollInterval = TimeSpan.FromSeconds(1),
                    });
            }
            else
            {
                c.UseInMemoryStorage();
            }
        });

        // Web-only instances (and the tests, which run job classes directly) set Jobs:RunServer=false: they still queue
        // jobs in the shared storage, and the instances that run a server do them.
        if (configuration.GetValue("Jobs:RunServer", true))
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            });
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
        }).RequireAuthorization(AuthSchemes.AdminPolicy).Add(endpoint =>
        {
            // The dashboard is no page, so the admin area's page filters never see it: the second-factor requirement is asked here.
            var dashboard = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = async context =>
            {
                if (await context.RequestServices.GetRequiredService<AdminTwoFactorGate>().HoldsBackAsync(context.RequestAborted))
                {
                    context.Response.Redirect(AdminTwoFactorGate.SecurityPath);
                    return;
                }

                await dashboard(context);
            };
        });
        RegisterRecurringJobs(app.Services.GetRequiredService<IRecurringJobManager>(), app.Services.GetServices<RecurringJobSchedule>(), app.Configuration);
        return app;
    }

    /// <summary>The outbox sweep, then every schedule a feature added with <see cref="AddRecurringJob"/>.</summary>
    public static void RegisterRecurringJobs(IRecurringJobManager jobs, IEnumerable<RecurringJobSchedule> schedules, IConfiguration configuration)
    {
        jobs.AddOrUpdate<OutboxSender>("outbox-sweep", s => s.SendPendingAsync(CancellationToken.None), Cron.Minutely());
        foreach (var schedule in schedules)
        {
            schedule.Register(jobs, configuration);
        }
    }

    /// <summary>
    /// A feature's recurring job (the daily invitation expiry, the retention run, the IMAP import): registered with
    /// Hangfire when the app starts, where <paramref name="register"/> may also remove it when its setting is off.
    /// </summary>
    public static IServiceCollection AddRecurringJob(this IServiceCollection services, Action<IRecurringJobManager, IConfiguration> register) =>
        services.AddSingleton(new RecurringJobSchedule(register));
}

/// <summary>How a feature puts its recurring job on Hangfire's schedule (see <see cref="JobsSetup.AddRecurringJob"/>).</summary>
public sealed record RecurringJobSchedule(Action<IRecurringJobManager, IConfiguration> Register);

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
