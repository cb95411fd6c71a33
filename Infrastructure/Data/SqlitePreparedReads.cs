using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Runs EF Core's reads outside a transaction on statements SQLite compiled once, instead of compiling each query's SQL
/// again on every request. Microsoft.Data.Sqlite keeps a command's compiled statements only while its connection stays
/// open, and EF Core opens and closes a connection, and makes a new command, for every query: on a signed-in page
/// compiling the session check's SQL cost more than running it. So this keeps a few connections open of its own, each
/// with the commands it has compiled, keyed by SQL text; a read borrows one connection for as long as EF Core reads its
/// rows and gives it back when EF Core closes the reader.
/// <para>
/// Nothing about what a read sees changes: each read is its own statement, so it sees every committed write, as on EF
/// Core's own connection (write-ahead logging; an open connection holds no lock between reads). Reads inside a
/// transaction stay on the transaction's connection, so a write unit still reads its own writes. When every kept
/// connection is busy, or a connection has compiled its share of different statements, the read runs as before.
/// </para>
/// </summary>
public sealed class SqlitePreparedReads : DbCommandInterceptor, IDisposable
{
    /// <summary>Connections kept open at most: about as many reads as run at once on a small machine under load.</summary>
    public const int MaxConnections = 32;

    /// <summary>Different statements one connection keeps compiled; the queries' SQL texts are few and fixed.</summary>
    public const int MaxStatementsPerConnection = 256;

    private readonly ConcurrentBag<Lease> _idle = [];
    private readonly ConditionalWeakTable<DbDataReader, Lease> _lent = new();
    private readonly Lock _gate = new();
    private int _connections;
    private long _served;
    private long _compiled;

    /// <summary>Reads run on a kept connection so far.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Statements compiled so far: once per SQL text on each kept connection.</summary>
    public long Compiled => Interlocked.Read(ref _compiled);

    /// <summary>Connections kept open now.</summary>
    public int Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections;
            }
        }
    }
    private bool _disposed;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (result.HasResult || Rent(command) is not { } lease)
        {
            return result;
        }

        try
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(Lend(lease, lease.Command(command).ExecuteReader()));
        }
        catch
        {
            Return(lease, broken: true);
            throw;
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || Rent(command) is not { } lease)
        {
            return result;
        }

        try
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(Lend(lease, await lease.Command(command).ExecuteReaderAsync(cancellationToken)));
        }
        catch
        {
            Return(lease, broken: true);
            throw;
        }
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        GiveBack(eventData.DataReader);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        GiveBack(eventData.DataReader);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        GiveBack(eventData.DataReader);
        return result;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        while (_idle.TryTake(out var lease))
        {
            lease.Dispose();
        }
    }

    /// <summary>A kept connection for this read, or null when the read must run on EF Core's own connection.</summary>
    private Lease? Rent(DbCommand command)
    {
        if (command.Transaction is not null || command.Connection is not SqliteConnection connection || !IsRead(command.CommandText))
        {
            return null;
        }

        while (_idle.TryTake(out var idle))
        {
            if (idle.ConnectionString == connection.ConnectionString && idle.CanCompile(command.CommandText))
            {
                return idle;
            }

            // Another database's connection (never in the app, which has one) or a full one: the newcomer takes its place.
            Return(idle, broken: true);
        }

        lock (_gate)
        {
            if (_disposed || _connections >= MaxConnections)
            {
                return null;
            }

            _connections++;
        }

        try
        {
            return new Lease(connection.ConnectionString, () => Interlocked.Increment(ref _compiled));
        }
        catch
        {
            lock (_gate)
            {
                _connections--;
            }

            throw;
        }
    }

    private DbDataReader Lend(Lease lease, SqliteDataReader reader)
    {
        Interlocked.Increment(ref _served);
        _lent.AddOrUpdate(reader, lease);
        return reader;
    }

    private void GiveBack(DbDataReader reader)
    {
        if (_lent.TryGetValue(reader, out var lease) && _lent.Remove(reader))
        {
            // The reader is closed before the connection runs another statement: closing resets the statement and ends its read.
            reader.Dispose();
            Return(lease, broken: false);
        }
    }

    private void Return(Lease lease, bool broken)
    {
        bool keep;
        lock (_gate)
        {
            keep = !broken && !_disposed;
            if (!keep)
            {
                _connections--;
            }
        }

        if (keep)
        {
            _idle.Add(lease);
        }
        else
        {
            lease.Dispose();
        }
    }

    /// <summary>A SELECT (after any tags EF Core writes as comments first); everything else keeps its own path and locks.</summary>
    private static bool IsRead(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        while (text.StartsWith("--"))
        {
            var end = text.IndexOf('\n');
            if (end < 0)
            {
                return false;
            }

            text = text[(end + 1)..].TrimStart();
        }

        return text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One open connection and the commands compiled on it, by SQL text.</summary>
    private sealed class Lease : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
        private readonly Action _compiled;

        public Lease(string connectionString, Action compiled)
        {
            _compiled = compiled;
            ConnectionString = connectionString;
            _connection = new SqliteConnection(connectionString);
            FoldedText.Functions.Register(_connection);
            _connection.Open();
        }

        public string ConnectionString { get; }

        public bool CanCompile(string sql) => _commands.Count < MaxStatementsPerConnection || _commands.ContainsKey(sql);

        /// <summary>This read's command, compiled the first time its SQL is seen here, with the read's parameter values.</summary>
        public SqliteCommand Command(DbCommand read)
        {
            if (!_commands.TryGetValue(read.CommandText, out var command))
            {
                command = _connection.CreateCommand();
                command.CommandText = read.CommandText;
                foreach (DbParameter parameter in read.Parameters)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = parameter.ParameterName });
                }

                command.Prepare();
                _commands.Add(read.CommandText, command);
                _compiled();
            }

            if (command.Parameters.Count != read.Parameters.Count)
            {
                throw new InvalidOperationException($"The read's parameters changed under one SQL text: {read.CommandText}");
            }

            command.CommandTimeout = read.CommandTimeout;
            for (var i = 0; i < read.Parameters.Count; i++)
            {
                var source = read.Parameters[i];
                var target = command.Parameters[source.ParameterName];
                target.Value = source.Value ?? DBNull.Value;
                target.Size = source.Size;
                if (source is SqliteParameter { SqliteType: var type })
                {
                    target.SqliteType = type;
                }
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
    }
}
