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
        services.AddScoped<Email.OutboxDispatchInterceptor>();
        if (configuration.UsesPostgres())
        {
            // The same model under its own type, so that the PostgreSQL migrations (Migrations/Postgres) are the ones applied.
            services.AddDbContext<PortalDbContext, PostgresPortalDbContext>((sp, options) => options
                .AddInterceptors(sp.GetRequiredService<Email.OutboxDispatchInterceptor>(), NulFreeParameters.Instance)
                .UsePortalNpgsql(connectionString));
        }
        else
        {
            services.AddDbContext<PortalDbContext>((sp, options) => options
                .AddInterceptors(sp.GetRequiredService<Email.OutboxDispatchInterceptor>())
                .UseSqlite(SqliteConnectionString(connectionString)));
        }

        return services;
    }

    /// <summary>PostgreSQL as the app and <c>dotnet ef</c> both use it.</summary>
    public static DbContextOptionsBuilder UsePortalNpgsql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString);

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

    /// <summary>
    /// Applies pending migrations and, on SQLite, switches the file to write-ahead logging. Instances that start together
    /// against one database take turns: EF Core holds a migration lock while one applies them, and the others then find
    /// nothing left to apply. Then makes sure a Data Protection key exists (<see cref="Auth.SharedKeys"/>).
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
        await Auth.SharedKeys.EnsureKeyAsync(scope.ServiceProvider, db);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}
