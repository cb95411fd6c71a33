using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Portal.Infrastructure.Data;

namespace Portal.Benchmarks;

/// <summary>
/// The same data set as <see cref="Seeder"/> writes to SQLite, in two PostgreSQL databases on one server: the schema from
/// the app's own migrations (its PostgreSQL context), the same rows from the same generators written with binary COPY,
/// the identity sequences moved past the seeded ids, and statistics gathered; then a copy whose activity log is cut to
/// <see cref="Scale.SmallActivity"/> rows. The secondary indexes are dropped for the load and built again from their own
/// definitions afterwards, as a restore does. Each database carries the data set's manifest as its comment, so a
/// complete seed of the same scale, seeder and migrations is reused.
/// </summary>
public static class PostgresSeeder
{
    /// <summary>The server named by <c>PORTAL_BENCH_POSTGRES</c> (a connection string), or null.</summary>
    public static string? Server => Environment.GetEnvironmentVariable("PORTAL_BENCH_POSTGRES") is { Length: > 0 } server ? server : null;

    public static string DatabaseOf(Scale scale, bool small = false) =>
        "portal_bench_" + new string(scale.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray()) + (small ? "_small" : "");

    public static string ConnectionString(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    /// <summary>True when both databases of <paramref name="scale"/> hold a complete seed by this seeder and these migrations.</summary>
    public static async Task<bool> IsSeededAsync(string server, Scale scale)
    {
        var manifest = Manifest(server, scale);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_database WHERE datname IN (@big, @small) AND shobj_description(oid, 'pg_database') = @manifest", connection);
        command.Parameters.AddWithValue("big", DatabaseOf(scale));
        command.Parameters.AddWithValue("small", DatabaseOf(scale, small: true));
        command.Parameters.AddWithValue("manifest", manifest);
        return (long)(await command.ExecuteScalarAsync())! == 2;
    }

    public static async Task SeedAsync(string server, Scale scale, TextWriter log)
    {
        scale.Validate();
        var total = Stopwatch.StartNew();
        var big = DatabaseOf(scale);
        var small = DatabaseOf(scale, small: true);
        var connectionString = ConnectionString(server, big);
        log.WriteLine($"Seeding scale {scale.Name} into PostgreSQL database {big}...");
        NpgsqlConnection.ClearAllPools();
        await OnServerAsync(server, $"DROP DATABASE IF EXISTS \"{small}\" WITH (FORCE)", $"DROP DATABASE IF EXISTS \"{big}\" WITH (FORCE)", $"CREATE DATABASE \"{big}\"");

        var watch = Stopwatch.StartNew();
        await using (var db = Context(connectionString))
        {
            await db.Database.MigrateAsync();
        }

        log.WriteLine($"  schema from the migrations ({watch.Elapsed.TotalSeconds:F1} s)");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "SET synchronous_commit = off; SET maintenance_work_mem = '256MB';");
            await TrySkipForeignKeyChecksAsync(connection, log);
            var indexes = await SecondaryIndexesAsync(connection);
            foreach (var (name, _) in indexes)
            {
                await ExecuteAsync(connection, $"DROP INDEX \"{name}\"");
            }

            var tables = new CopyTables(connection, await ColumnTypesAsync(connection));
            Seeder.Rows(tables, scale, log);

            watch.Restart();
            foreach (var (_, definition) in indexes)
            {
                await ExecuteAsync(connection, definition);
            }

            log.WriteLine($"  {indexes.Count} secondary indexes built again, the trigram indexes among them ({watch.Elapsed.TotalSeconds:F1} s)");
            watch.Restart();
            await AdvanceIdentitiesAsync(connection);
            await ExecuteAsync(connection, "VACUUM (ANALYZE)");
            log.WriteLine($"  identity sequences past the seeded ids, VACUUM (ANALYZE) ({watch.Elapsed.TotalSeconds:F1} s)");
        }

        log.WriteLine($"Seeded {big} in {total.Elapsed.TotalSeconds:F0} s.");

        // The small copy: the whole database as a template, then the log cut and its table and indexes rewritten, so that it
        // is as compact as a log that never grew past its rows (no dead tuples, no trigram postings of deleted rows).
        watch.Restart();
        NpgsqlConnection.ClearAllPools();
        await OnServerAsync(server, $"CREATE DATABASE \"{small}\" TEMPLATE \"{big}\"");
        await using (var connection = new NpgsqlConnection(ConnectionString(server, small)))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"DELETE FROM \"ActivityLog\" WHERE \"Id\" > {scale.SmallActivity}");
            await ExecuteAsync(connection, "VACUUM (FULL, ANALYZE) \"ActivityLog\"");
        }

        NpgsqlConnection.ClearAllPools();
        var manifest = Manifest(server, scale).Replace("'", "''", StringComparison.Ordinal);
        await OnServerAsync(server, $"COMMENT ON DATABASE \"{small}\" IS '{manifest}'", $"COMMENT ON DATABASE \"{big}\" IS '{manifest}'");
        log.WriteLine($"Copied it with {scale.SmallActivity:N0} activity entries to {small} in {watch.Elapsed.TotalSeconds:F0} s; {total.Elapsed.TotalSeconds:F0} s in all.");
    }

    public static PostgresPortalDbContext Context(string connectionString) =>
        new((DbContextOptions<PostgresPortalDbContext>)new DbContextOptionsBuilder<PostgresPortalDbContext>().UsePortalNpgsql(connectionString).Options);

    /// <summary>The seeder's manifest and the app's last PostgreSQL migration: a new migration means a new seed.</summary>
    private static string Manifest(string server, Scale scale)
    {
        using var db = Context(ConnectionString(server, DatabaseOf(scale)));
        return Seeder.Manifest(scale) + " " + db.Database.GetMigrations().Last();
    }

    private static async Task OnServerAsync(string server, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, statement);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The rows are consistent by construction (SQLite's seed writes them with its foreign keys off); a superuser's load
    /// skips the per-row checks as pg_restore does. Anyone else's load has them checked.
    /// </summary>
    private static async Task TrySkipForeignKeyChecksAsync(NpgsqlConnection connection, TextWriter log)
    {
        try
        {
            await ExecuteAsync(connection, "SET session_replication_role = replica");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            log.WriteLine("  (not a superuser: every row's foreign keys are checked as it is copied)");
        }
    }

    /// <summary>The indexes that no constraint owns (primary keys stay), with the statements that create them.</summary>
    private static async Task<List<(string Name, string Definition)>> SecondaryIndexesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.tablename, i.indexname
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var indexes = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    private static async Task<Dictionary<(string Table, string Column), NpgsqlDbType>> ColumnTypesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var types = new Dictionary<(string, string), NpgsqlDbType>();
        while (await reader.ReadAsync())
        {
            types[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2) switch
            {
                "boolean" => NpgsqlDbType.Boolean,
                "smallint" => NpgsqlDbType.Smallint,
                "integer" => NpgsqlDbType.Integer,
                "bigint" => NpgsqlDbType.Bigint,
                "numeric" => NpgsqlDbType.Numeric,
                "double precision" => NpgsqlDbType.Double,
                "character varying" => NpgsqlDbType.Varchar,
                "text" => NpgsqlDbType.Text,
                _ => NpgsqlDbType.Unknown, // a type the seeder never writes (bytea, …): Into refuses a column of it
            };
        }

        return types;
    }

    /// <summary>Every identity (or serial) column's sequence set just past the table's largest id, as the app's next insert expects.</summary>
    private static async Task AdvanceIdentitiesAsync(NpgsqlConnection connection)
    {
        var statements = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT format('SELECT setval(%L, (SELECT coalesce(max(%I), 0) + 1 FROM public.%I), false)',
                          pg_get_serial_sequence(format('public.%I', table_name), column_name), column_name, table_name)
            FROM information_schema.columns
            WHERE table_schema = 'public' AND pg_get_serial_sequence(format('public.%I', table_name), column_name) IS NOT NULL
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                statements.Add(reader.GetString(0));
            }
        }

        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, statement);
        }
    }

    /// <summary>
    /// Binary COPY, one table at a time on one connection: the first table opened streams; a table opened while another
    /// streams (billing's items, invoices… beside its orders) is held in memory and copied, in the order the tables were
    /// opened, as soon as the streaming one is complete, so that parents are always written before their children.
    /// </summary>
    private sealed class CopyTables(NpgsqlConnection connection, IReadOnlyDictionary<(string Table, string Column), NpgsqlDbType> types) : ITableSink
    {
        private readonly List<CopyRows> _waiting = [];
        private CopyRows? _streaming;

        public IRowSink Into(string table, params string[] columns)
        {
            var rows = new CopyRows(this, table, columns.Select(c => types.TryGetValue((table, c), out var type)
                ? type is NpgsqlDbType.Unknown ? throw new NotSupportedException($"The seeder writes no column of the type of {table}.{c}.") : type
                : throw new InvalidOperationException($"The migrations made no column {table}.{c}: the seeder and the model disagree.")).ToArray(), columns);
            if (_streaming is null)
            {
                _streaming = rows;
                rows.Begin(connection);
            }
            else
            {
                _waiting.Add(rows);
            }

            return rows;
        }

        public void Finished(CopyRows rows)
        {
            if (rows != _streaming)
            {
                return;
            }

            rows.Complete();
            _streaming = null;
            foreach (var waiting in _waiting)
            {
                waiting.Begin(connection);
                waiting.Complete();
            }

            _waiting.Clear();
        }
    }

    private sealed class CopyRows(CopyTables tables, string table, NpgsqlDbType[] types, string[] columns) : IRowSink
    {
        private readonly List<object?[]> _held = [];
        private NpgsqlBinaryImporter? _importer;
        private bool _done;

        public void Begin(NpgsqlConnection connection)
        {
            _importer = connection.BeginBinaryImport(
                $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)");
            _importer.Timeout = TimeSpan.Zero;
            foreach (var values in _held)
            {
                Write(values);
            }

            _held.Clear();
        }

        public void Row(params object?[] values)
        {
            if (_done)
            {
                throw new InvalidOperationException($"A row for {table} after it was copied.");
            }

            if (_importer is null)
            {
                _held.Add(values);
            }
            else
            {
                Write(values);
            }
        }

        public void Complete()
        {
            _importer!.Complete();
            _importer.Dispose();
            _importer = null;
            _done = true;
        }

        public void Dispose() => tables.Finished(this);

        private void Write(object?[] values)
        {
            _importer!.StartRow();
            for (var i = 0; i < types.Length; i++)
            {
                if (values[i] is null)
                {
                    _importer.WriteNull();
                    continue;
                }

                var value = values[i]!;
                switch (types[i])
                {
                    case NpgsqlDbType.Boolean:
                        _importer.Write(value is bool flag ? flag : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0, NpgsqlDbType.Boolean);
                        break;
                    case NpgsqlDbType.Smallint:
                        _importer.Write(Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Smallint);
                        break;
                    case NpgsqlDbType.Integer:
                        _importer.Write(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Integer);
                        break;
                    case NpgsqlDbType.Bigint:
                        _importer.Write(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Bigint);
                        break;
                    case NpgsqlDbType.Numeric:
                        _importer.Write(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Numeric);
                        break;
                    case NpgsqlDbType.Double:
                        _importer.Write(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Double);
                        break;
                    default:
                        _importer.Write(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, types[i]);
                        break;
                }
            }
        }
    }
}
