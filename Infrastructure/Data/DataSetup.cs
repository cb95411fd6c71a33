using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

public static class DataSetup
{
    public static bool UsesPostgres(this IConfiguration configuration) =>
        string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Portal") ?? "Data Source=App_Data/portal.db";
        services.AddSingleton<Email.OutboxDispatchInterceptor>();
        if (configuration.UsesPostgres())
        {
            services.AddScoped<Activity.IActivitySearch, Activity.ScanningActivitySearch>();
            services.AddScoped<IPeopleSearch, ScanningPeopleSearch>();
        }
        else
        {
            services.AddScoped<Activity.IActivitySearch, Activity.SqliteActivitySearch>();
            services.AddScoped<IPeopleSearch, SqlitePeopleSearch>();
        }

        // Pooled: a request rents a context instead of building one with its services, which the per-request session
        // check would otherwise pay for on every page.
        services.AddDbContextPool<PortalDbContext>((sp, options) =>
        {
            options.AddInterceptors(sp.GetRequiredService<Email.OutboxDispatchInterceptor>());
            if (configuration.UsesPostgres())
            {
                options.UseNpgsql(connectionString);
            }
            else
            {
                options.UseSqlite(SqliteConnectionString(connectionString));
            }
        });
        return services;
    }

    /// <summary>A busy connection waits up to 30 seconds for the write lock instead of failing with "database is locked".</summary>
    private static string SqliteConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30, Pooling = true };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return builder.ToString();
    }

    /// <summary>Applies pending migrations and, on SQLite, switches the file to write-ahead logging.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}
