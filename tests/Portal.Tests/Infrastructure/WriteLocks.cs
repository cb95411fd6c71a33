using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// What every app of the test run (process-wide) says about its write locks, read from the metric the app publishes
/// (<see cref="WriteLockMonitor"/>): how long each write held its lock, and whether anything slow ran while it did.
/// <para>
/// The app times a hold from the moment the write has its lock to its commit, on the wall clock. On a busy machine that
/// clock also counts the time the holding thread waited for a core, a garbage collection, or the disk, none of which is
/// the write's doing. So what is reported is what the write did while it held the lock: the time its thread ran on a core
/// (Linux's per-thread count in <c>/proc/thread-self/schedstat</c>), for every hold that started and ended on the same
/// thread (every hold on SQLite, whose calls complete synchronously), less the garbage collections that ran meanwhile, once
/// the command is warm (the first time a command goes through in an app it also compiles its code and queries). A password
/// hash or a render inside a write shows there whatever the machine is doing; a call over the network shows among the
/// slow calls (<see cref="SlowCall"/>).
/// </para>
/// </summary>
public static class WriteLocks
{
    private static readonly MeterListener Listener = new();
    private static readonly ConcurrentDictionary<string, Hold> LongestByKind = new();
    private static readonly ConcurrentQueue<string> SlowCalls = new();
    private static readonly List<Hold> Top = [];
    private static long _holds;
    private static long _unmeasured;

    /// <summary>When this thread last saw a write take its lock, and its scheduler counts then.</summary>
    [ThreadStatic]
    private static (long Timestamp, long Cpu, long Waited, TimeSpan Paused)? _start;

    static WriteLocks()
    {
        Listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WriteLockMonitor.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };

        // A write takes its lock (+1) on the thread that starts timing it.
        Listener.SetMeasurementEventCallback<int>((_, change, _, _) =>
            _start = change > 0 && SchedStat() is { } stat ? (Stopwatch.GetTimestamp(), stat.Cpu, stat.Waited, GC.GetTotalPauseDuration()) : null);
        Listener.SetMeasurementEventCallback<double>((_, milliseconds, tags, _) =>
        {
            string command = "", kind = "", provider = "";
            var warm = true;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "command":
                        command = tag.Value as string ?? "";
                        break;
                    case "kind":
                        kind = tag.Value as string ?? "";
                        break;
                    case "provider":
                        provider = tag.Value as string ?? "";
                        break;
                    case "warm":
                        warm = tag.Value is true;
                        break;
                }
            }

            // The same hold, on the thread it started on: its start was timed within a millisecond of that mark.
            var sameThread = _start is { } start && Math.Abs(Stopwatch.GetElapsedTime(start.Timestamp).TotalMilliseconds - milliseconds) < 1;
            var end = sameThread ? SchedStat() : null;
            // A garbage collection during the hold stops the thread, or makes it do the collecting: not the write's work either.
            var paused = sameThread ? (GC.GetTotalPauseDuration() - _start!.Value.Paused).TotalMilliseconds : 0;
            var hold = end is { } e
                ? new Hold(command, milliseconds, Math.Max(0, milliseconds - (e.Waited - _start!.Value.Waited) / 1e6 - paused),
                    Math.Max(0, (e.Cpu - _start!.Value.Cpu) / 1e6 - paused), warm)
                : new Hold(command, milliseconds, double.NaN, double.NaN, warm);
            Interlocked.Increment(ref _holds);
            if (!warm)
            {
                return;
            }

            if (double.IsNaN(hold.CpuMs))
            {
                Interlocked.Increment(ref _unmeasured);
                return;
            }

            // Saves outside a unit are timed too (on SQLite they take the write lock), but the tests' own data set-up saves
            // that way: they are printed apart from the commands' write units.
            var group = command.StartsWith("save ", StringComparison.Ordinal) ? $"{provider} saves outside a unit" : $"{provider} {kind}";
            LongestByKind.AddOrUpdate(group, hold, (_, was) => hold.CpuMs > was.CpuMs ? hold : was);
            lock (Top)
            {
                Top.Add(hold with { Command = $"{command} ({group})" });
                if (Top.Count > 20)
                {
                    Top.Remove(Top.MinBy(t => t.CpuMs)!);
                }
            }
        });
        Listener.Start();
    }

    /// <summary>Starts listening (the static constructor); every test app calls it before it starts.</summary>
    public static void Listen()
    {
    }

    /// <summary>How many holds every app of the run has reported so far.</summary>
    public static long Holds => Interlocked.Read(ref _holds);

    /// <summary>The warm hold of <paramref name="kind"/> on <paramref name="provider"/> that ran longest on a core, so far.</summary>
    public static Hold? LongestOf(string provider, WriteUnitKind kind = WriteUnitKind.Request) =>
        LongestByKind.TryGetValue($"{provider} {kind}", out var longest) ? longest : null;

    /// <summary>The warm holds that ran longest on a core, longest first (saves outside a unit included).</summary>
    public static IReadOnlyList<Hold> LongestOnes
    {
        get
        {
            lock (Top)
            {
                return Top.OrderByDescending(t => t.CpuMs).ToList();
            }
        }
    }

    /// <summary>Slow calls (a password hash, Data Protection, a mail sent) made while a write unit held its lock.</summary>
    public static IReadOnlyCollection<string> SlowCallsUnderLock => SlowCalls;

    /// <summary>Called by the test apps' probes around slow services: counts the call when it is made inside a write unit.</summary>
    public static void SlowCall(string what)
    {
        if (WriteUnit.IsHeld)
        {
            SlowCalls.Enqueue($"{what} inside {WriteUnit.HeldBy}");
            SecurityReport.Add(SecurityReport.SlowCallsUnderLock);
        }
    }

    /// <summary>The lines the security summary prints about write locks.</summary>
    public static IEnumerable<(string Key, string Text)> Summary()
    {
        yield return ("write-lock holds timed", $"{Holds.ToString(CultureInfo.InvariantCulture)} ({Interlocked.Read(ref _unmeasured).ToString(CultureInfo.InvariantCulture)} warm ones moved threads, so their core time is unknown)");
        foreach (var (key, longest) in LongestByKind.OrderBy(l => l.Key))
        {
            yield return ($"longest write-lock hold ({key}, warm)", longest.ToString());
        }

        yield return ("transactional commands that met a database fault", DatabaseFaults.Faulted.Count.ToString(CultureInfo.InvariantCulture));
        if (!SlowCalls.IsEmpty)
        {
            yield return ("slow calls under a write lock (first ones)", string.Join("; ", SlowCalls.Take(5)));
        }
    }

    /// <summary>Nanoseconds this thread has run on a core and waited on a run queue so far, or null where Linux does not say.</summary>
    private static (long Cpu, long Waited)? SchedStat()
    {
        try
        {
            var fields = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
            return fields.Length >= 2 && long.TryParse(fields[0], out var cpu) && long.TryParse(fields[1], out var waited) ? (cpu, waited) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One hold: on the wall clock, without the waits for a core, and on a core (NaN when it moved threads).</summary>
    public sealed record Hold(string Command, double WallMs, double RunningMs, double CpuMs, bool Warm)
    {
        public override string ToString() => $"{CpuMs:0.0} ms on a core ({WallMs:0.0} ms on the clock, {RunningMs:0.0} ms without waits for a core) by {Command}";
    }
}
