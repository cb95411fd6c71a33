using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portal.Infrastructure.Data;

public static class DataSetup
{
    public static bool UsesPostgres(this IConfiguration configuration) =>
        string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Portal") ?? "Data Source=App_Data/portal.db";
        var busyTimeout = BusyTimeout(configuration);
        services.AddSingleton<Email.OutboxDispatchInterceptor>();
        services.AddSingleton<Email.OutboxCommitInterceptor>();
        services.AddSingleton<WriteLockMonitor>();
        if (configuration.UsesPostgres())
        {
            services.AddScoped<IPeopleSearch, PostgresPeopleSearch>();

            // The same model under its own type, so that the PostgreSQL migrations (Migrations/Postgres) are the ones applied.
            // Pooled: a request rents a context instead of building one with its services, which the per-request session
            // check would otherwise pay for on every page.
            services.AddDbContextPool<PortalDbContext, PostgresPortalDbContext>((sp, options) => options
                .AddInterceptors(sp.GetRequiredService<Email.OutboxDispatchInterceptor>(), sp.GetRequiredService<Email.OutboxCommitInterceptor>(), NulFreeParameters.Instance)
                .UsePortalNpgsql(PostgresConnectionString(connectionString, busyTimeout)));
        }
        else
        {
            services.AddScoped<IPeopleSearch, SqlitePeopleSearch>();
            services.AddSingleton(new SqliteWriteGate(busyTimeout));
            services.AddSingleton<SqliteSaveTurns>();
            services.AddSingleton<SqliteStatementTurns>();
            services.AddSingleton<SqlitePreparedReads>();
            var synchronous = new SqliteSynchronous(configuration["Database:SqliteSynchronous"]);
            services.AddDbContextPool<PortalDbContext>((sp, options) => options
                .AddInterceptors(
                    sp.GetRequiredService<SqliteSaveTurns>(), sp.GetRequiredService<SqliteStatementTurns>(),
                    sp.GetRequiredService<Email.OutboxDispatchInterceptor>(), sp.GetRequiredService<Email.OutboxCommitInterceptor>(), FoldedText.Functions.Instance, synchronous,
                    sp.GetRequiredService<SqlitePreparedReads>())
                .UseSqlite(SqliteConnectionString(connectionString, busyTimeout)));
        }

        return services;
    }

    /// <summary>
    /// How long a write waits for its turn (<c>Database:BusyTimeoutSeconds</c>, 15 by default) before it is tried again and
    /// in the end answered "busy": SQLite's write lock (in this process at <see cref="SqliteWriteGate"/>, from another
    /// process through SQLite's busy timeout), a PostgreSQL row lock (the session's <c>lock_timeout</c>).
    /// </summary>
    public static TimeSpan BusyTimeout(IConfiguration configuration) =>
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Database:BusyTimeoutSeconds", 15), 1, 300));

    /// <summary>
    /// A row lock not granted within the busy timeout fails the statement (55P03), which the write unit retries. Statements
    /// run often (the session check on every request, the pages' queries) are prepared on each pooled connection after their
    /// second use, so the server plans them once instead of on every request (<c>Max Auto Prepare</c>, unless the
    /// connection string sets it; 0 turns it off, as behind a connection pooler that does not keep prepared statements).
    /// </summary>
    private static string PostgresConnectionString(string connectionString, TimeSpan busyTimeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var lockTimeout = $"-c lock_timeout={(int)busyTimeout.TotalMilliseconds}";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? lockTimeout : builder.Options + " " + lockTimeout;
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 128;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>PostgreSQL as the app and <c>dotnet ef</c> both use it, with a migration lock held for a whole run.</summary>
    public static DbContextOptionsBuilder UsePortalNpgsql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString).ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository, PostgresMigrationHistory>();

    /// <summary>
    /// A connection that finds the write lock held by another process waits up to the busy timeout for it instead of failing
    /// with "database is locked" (writers of this process take turns at <see cref="SqliteWriteGate"/> first).
    /// </summary>
    private static string SqliteConnectionString(string connectionString, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = (int)busyTimeout.TotalSeconds, Pooling = true };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Prepares the database before the app serves anything: applies pending migrations (on SQLite, also switching the
    /// file to write-ahead logging), and on PostgreSQL creates Hangfire's tables; then makes sure a Data Protection key
    /// exists (<see cref="Auth.SharedKeys"/>). Instances that start together against one PostgreSQL database take turns
    /// under one advisory lock (EF Core's migration lock alone would leave Hangfire's tables and the first key to race),
    /// and those that come after find nothing left to do.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            Auth.SharedKeys.EnsureKey(scope.ServiceProvider);
            return;
        }

        // The lock is the session's, so this connection is not pooled: a pooled connection, closed, goes back to the pool
        // with its session and the lock still held, and the next instance would wait for it until that connection
        // happened to be used again. Unpooled, closing it ends the session and the lock, even if a step fails.
        var unpooled = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        await using var startup = new NpgsqlConnection(unpooled.ConnectionString);
        await startup.OpenAsync();
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({StartupLock})", startup))
        {
            if (await tryLock.ExecuteScalarAsync() is not true)
            {
                // Said where an operator looks when an instance seems stuck at start-up.
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DataSetup))
                    .LogWarning("Waiting for another instance to finish preparing the database (PostgreSQL advisory lock {Lock})", StartupLock);
                await using var wait = new NpgsqlCommand($"SELECT pg_advisory_lock({StartupLock})", startup) { CommandTimeout = 600 };
                await wait.ExecuteNonQueryAsync();
            }
        }

        await db.Database.MigrateAsync();
        Jobs.JobsSetup.InstallPostgresStorage(startup);
        Auth.SharedKeys.EnsureKey(scope.ServiceProvider);
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({StartupLock})", startup))
        {
            await release.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The advisory lock instances take in turn to prepare a PostgreSQL database at start-up.</summary>
    public const long StartupLock = 0x506F72745354; // "PortST"
}

/// <summary>
/// SQLite's <c>synchronous</c> setting (<c>Database:SqliteSynchronous</c>). <c>Full</c>, the default, flushes the
/// write-ahead log to disk at every commit, while the write lock is held, so a committed write survives a power loss;
/// <c>Normal</c> flushes only at checkpoints, so commits hold the lock for less time and the last ones may be lost on a
/// power cut (never the database's consistency). The test apps use <c>Normal</c>, as the tests' PostgreSQL runs without fsync.
/// </summary>
public sealed class SqliteSynchronous(string? mode) : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    private readonly string? _pragma = mode?.Trim().ToUpperInvariant() switch
    {
        null or "" or "FULL" => null,
        "NORMAL" => "PRAGMA synchronous=NORMAL;",
        var other => throw new InvalidOperationException($"Database:SqliteSynchronous is {other}: use Full or Normal."),
    };

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        if (_pragma is not null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (_pragma is not null)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
