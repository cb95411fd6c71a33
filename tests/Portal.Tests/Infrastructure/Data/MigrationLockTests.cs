using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Tests.Infrastructure.Data;

/// <summary>Instances that start together against one empty database: one migrates, the others wait, none fails.</summary>
public sealed class MigrationLockTests
{
    private const int Instances = 4;

    [Fact]
    public async Task Instances_starting_together_on_an_empty_database_apply_each_migration_once_and_none_fails()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-migrations-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        using var database = TestDatabase.Create(folder);
        try
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var starts = Enumerable.Range(0, Instances).Select(async _ =>
            {
                await go.Task;
                await using var db = NewContext(database.ConnectionString);
                await db.Database.MigrateAsync();
            }).ToList();
            go.SetResult();
            await Task.WhenAll(starts);

            await using var check = NewContext(database.ConnectionString);
            var known = check.Database.GetMigrations().ToList();
            var applied = (await check.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.NotEmpty(known);
            Assert.Equal(known, applied);
            Assert.Empty(await check.Database.GetPendingMigrationsAsync());
            Assert.Equal(0, await check.Users.CountAsync());
        }
        finally
        {
            database.Dispose(WithBusyTimeout(database.ConnectionString));
            Directory.Delete(folder, true);
        }
    }

    /// <summary>The context an instance of the app migrates with, on the provider the run chose.</summary>
    private static PortalDbContext NewContext(string connectionString)
    {
        if (TestDatabase.IsPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresPortalDbContext>();
            postgres.UsePortalNpgsql(connectionString);
            return new PostgresPortalDbContext(postgres.Options);
        }

        // The app's own busy timeout: an instance waits for the write lock instead of failing.
        return new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(WithBusyTimeout(connectionString)).Options);
    }

    private static string WithBusyTimeout(string sqliteConnectionString) => sqliteConnectionString + ";Default Timeout=30";
}
