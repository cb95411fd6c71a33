using Npgsql;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The database a test app runs on. <c>PORTAL_TEST_PROVIDER=Postgres</c> (set by scripts/test.sh, with
/// <c>PORTAL_TEST_POSTGRES</c> the connection string of its PostgreSQL server) runs the suite on PostgreSQL, each app
/// on a new, empty database of its own that the app migrates at start-up as in production; otherwise each app gets a
/// SQLite file in its folder.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string ProviderVariable = "PORTAL_TEST_PROVIDER";
    public const string ServerVariable = "PORTAL_TEST_POSTGRES";

    private readonly string? _postgresName;
    private bool _disposed;

    private TestDatabase(string connectionString, string? postgresName)
    {
        ConnectionString = connectionString;
        _postgresName = postgresName;
    }

    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of <c>Database:Provider</c>.</summary>
    public static string Provider => IsPostgres ? "Postgres" : "Sqlite";

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException($"{ProviderVariable}=Postgres needs {ServerVariable}, the connection string of a PostgreSQL server (scripts/test.sh sets both).");

    /// <summary>A new database: a SQLite file in <paramref name="folder"/>, or an empty PostgreSQL database.</summary>
    public static TestDatabase Create(string folder)
    {
        if (!IsPostgres)
        {
            return new TestDatabase($"Data Source={Path.Combine(folder, "portal.db")}", null);
        }

        var name = "portal_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new TestDatabase(builder.ConnectionString, name);
    }

    public void Dispose() => Dispose(null);

    /// <summary>
    /// Closes the pooled connections of this database only (other apps of the run keep theirs), those the app opened
    /// with <paramref name="appConnectionString"/> (on SQLite the app adds its own settings to the string), and drops a
    /// PostgreSQL database.
    /// </summary>
    public void Dispose(string? appConnectionString)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_postgresName is null)
        {
            foreach (var connectionString in new[] { ConnectionString, appConnectionString }.OfType<string>().Distinct())
            {
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
            }

            return;
        }

        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        try
        {
            using var connection = new NpgsqlConnection(ServerConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server is the test run's own and goes away with it.
        }
    }
}
