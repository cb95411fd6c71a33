using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The real app over a real database (a SQLite file in a temporary folder, or a PostgreSQL database of its own: see
/// <see cref="TestDatabase"/>), with a clock the tests move, the job server off (tests
/// run jobs themselves) and each test client appearing from its own IP address.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string BaseUrl = "https://portal.test";
    public const string TestIpHeader = "X-Test-Remote-Ip";
    public const string ThrowPath = "/__test/throw";
    public const string SecretDetail = "connection string with a password";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "portal-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public Dictionary<string, string?> Settings { get; } = new();

    public string MailFolder => Path.Combine(Folder, "mail");

    public LogCapture Logs { get; } = new();

    /// <summary>The faults this app's database meets (every write unit's first attempt, unless switched off).</summary>
    public DatabaseFaults Faults => Services.GetRequiredService<DatabaseFaults>();

    /// <summary>PBKDF2 iterations of the test apps' password hashes (see <see cref="ConfigureWebHost"/>).</summary>
    public const int PasswordHashIterations = 1_000;

    /// <summary>
    /// Hash passwords as production does (210,000 PBKDF2 iterations, about 100 ms a hash): for the tests of many writers
    /// at once, where what matters is that nothing waits for a hash but its own request.
    /// </summary>
    public bool ProductionPasswordHashing { get; init; }

    public PortalFactory() => WriteLocks.Listen();

    /// <summary>The authserv-id of the trusted receiving mail server in the tests' configuration.</summary>
    public const string TrustedAuthServId = "mx.portal.test";

    private TestDatabase? _database;

    /// <summary>The app's connection string, on the provider the run chose.</summary>
    public string ConnectionString => (_database ??= TestDatabase.Create(Folder)).ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(Folder);
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = ConnectionString,
            ["Database:Provider"] = TestDatabase.Provider,
            ["Portal:BaseUrl"] = BaseUrl,
            ["Mail:PickupDirectory"] = MailFolder,
            ["Portal:KeyCertificatePath"] = Path.Combine(Folder, "keys.pfx"),
            ["Jobs:RunServer"] = "false",
            ["RateLimits:AuthPerMinute"] = "30",

            // A commit does not wait for the disk, as the tests' PostgreSQL runs without fsync: the write-lock holds the
            // tests bound are the app's work, not a shared machine's disk flushes.
            ["Database:SqliteSynchronous"] = "Normal",

            // The receiving mail server the inbound-mail tests write Authentication-Results as.
            ["Mail:Inbound:TrustedAuthServId"] = TrustedAuthServId,

            // As an operator debugging the site would: everything of ASP.NET Core at Debug, into the captured log.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestRemoteIp>();
            services.AddSingleton<QueryLog>();

            // Test apps hash passwords with far fewer PBKDF2 iterations than production's AuthSetup.PasswordHashIterations
            // (210,000, about 100 ms a hash or check on a 2-core machine), which the suite paid at every user it created and
            // every login. No test here depends on the cost: PasswordHashingTests checks the production registration, and
            // the two-instance tests run the real app, production setting included. The dummy hash that an unknown e-mail
            // is checked against keeps the production count, so in the test apps a login to an unknown address costs more
            // than one to a known address: no test compares their timing.
            if (!ProductionPasswordHashing)
            {
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordHashIterations);
            }

            services.AddSlowWorkProbes();
            services.AddSingleton<DatabaseFaults>();
            services.AddSingleton<DatabaseCommitFaults>();

            // On PostgreSQL the app's context is PostgresPortalDbContext, configured under its own type.
            if (TestDatabase.IsPostgres)
            {
                services.ConfigureDbContext<Portal.Infrastructure.Data.PostgresPortalDbContext>((sp, options) => options.AddInterceptors(
                    sp.GetRequiredService<QueryLog>(), sp.GetRequiredService<DatabaseFaults>(), sp.GetRequiredService<DatabaseCommitFaults>()));
            }
            else
            {
                services.ConfigureDbContext<Portal.Infrastructure.Data.PortalDbContext>((sp, options) => options.AddInterceptors(
                    sp.GetRequiredService<QueryLog>(), sp.GetRequiredService<DatabaseFaults>(), sp.GetRequiredService<DatabaseCommitFaults>()));
            }
        });
    }

    /// <summary>The connection string the app opens its pooled connections with, so that only this database's pool is cleared.</summary>
    private string? _appConnectionString;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        using var scope = host.Services.CreateScope();
        _appConnectionString = scope.ServiceProvider.GetRequiredService<Portal.Infrastructure.Data.PortalDbContext>().Database.GetConnectionString();
        return host;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database?.Dispose(_appConnectionString);
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }

    private static readonly Endpoint ThrowingEndpoint = new(
        _ => throw new InvalidOperationException(SecretDetail),
        new EndpointMetadataCollection(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute()),
        "test: throws");

    /// <summary>Test-only: takes the caller's address from a header, so rate limits and IP logging see distinct clients.</summary>
    private sealed class TestRemoteIp : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(TestIpHeader, out var ip) && IPAddress.TryParse(ip, out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                // Kestrel refuses a header value outside ASCII (a raw "/été" in Location) and the request ends in a 500;
                // the test server would pass it on, so it answers as Kestrel does.
                context.Response.OnStarting(() =>
                {
                    if (context.Response.Headers.Any(h => h.Value.Any(v => v is not null && v.Any(c => c > '\u007f' || (char.IsControl(c) && c != '\t')))))
                    {
                        context.Response.Headers.Clear();
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    }

                    return Task.CompletedTask;
                });
                // Test-only: an endpoint that throws, chosen before the app's routing and run behind its own error handling.
                if (context.Request.Path == ThrowPath)
                {
                    context.SetEndpoint(ThrowingEndpoint);
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
