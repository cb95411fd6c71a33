using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portal.Infrastructure.Data;

/// <summary>What a write unit is for, in the lock-hold figures.</summary>
public enum WriteUnitKind
{
    /// <summary>A request's or a job's command: it holds its lock for milliseconds, however busy the site is.</summary>
    Request,

    /// <summary>An operator's one-off run on the command line (seed-demo fills an empty database, all or nothing).</summary>
    Maintenance,
}

/// <summary>
/// How long each write holds its lock: from the moment a write unit has its transaction (on SQLite, the database's one
/// write lock) until it has committed or rolled back, and on SQLite also each save outside a unit. Published as the
/// histogram <c>portal.write_lock.hold</c> (milliseconds, tagged with the command, its kind and the provider) on the meter
/// <c>Portal.Data</c>, for <c>dotnet-counters monitor --counters Portal.Data</c> or an OpenTelemetry exporter. Waiting for
/// the lock is not counted: only holding it.
/// </summary>
public sealed class WriteLockMonitor
{
    public const string MeterName = "Portal.Data";
    public const string HoldInstrument = "portal.write_lock.hold";

    private static readonly Meter Meter = new(MeterName);
    public const string HeldInstrument = "portal.write_lock.held";

    private static readonly Histogram<double> Holds = Meter.CreateHistogram<double>(HoldInstrument, "ms", "How long a write held its lock, without the wait for it.");
    private static readonly UpDownCounter<int> Held = Meter.CreateUpDownCounter<int>(HeldInstrument, "{writes}", "Writes holding their lock now.");

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _done = new();

    /// <summary>
    /// Starts timing a hold; dispose the result when the lock is released, after <see cref="HeldLock.Done"/> when the write
    /// went through. A hold is tagged <c>warm=false</c> until this instance has seen the same command go through once: the
    /// first time, its code and queries are compiled on the way.
    /// </summary>
    public HeldLock Holding(string name, string provider, WriteUnitKind kind = WriteUnitKind.Request)
    {
        Held.Add(1, new KeyValuePair<string, object?>("provider", provider));
        return new(this, name, provider, kind, _done.ContainsKey(name), Stopwatch.GetTimestamp());
    }

    public sealed class HeldLock(WriteLockMonitor monitor, string name, string provider, WriteUnitKind kind, bool warm, long started) : IDisposable
    {
        private bool _disposed;

        /// <summary>The write went through (committed, or saved).</summary>
        public void Done() => monitor._done.TryAdd(name, true);

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Holds.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("command", name),
                new KeyValuePair<string, object?>("kind", kind.ToString()),
                new KeyValuePair<string, object?>("provider", provider),
                new KeyValuePair<string, object?>("warm", warm));
            Held.Add(-1, new KeyValuePair<string, object?>("provider", provider));
        }
    }
}
