using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Benchmarks;

/// <summary>
/// The portal as it runs in production (Release build, Production environment, Kestrel on a loopback port), against a
/// seeded SQLite file, with the floor page switched on and the job server off so that no background work competes.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _mailFolder;

    private AppProcess(Process process, Uri baseUri, string mailFolder)
    {
        _process = process;
        BaseUri = baseUri;
        _mailFolder = mailFolder;
    }

    public Uri BaseUri { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the app on <paramref name="database"/> (a SQLite file), or on what <paramref name="overrides"/> set instead.</summary>
    public static async Task<AppProcess> StartAsync(string repository, string database, TextWriter log, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var mail = Path.Combine(Path.GetTempPath(), "portal-bench-mail-" + port);
        var app = Path.Combine(repository, "bin", "Release", "net10.0", "Portal.dll");
        if (!File.Exists(app))
        {
            throw new InvalidOperationException($"{app} is missing: build the portal first (dotnet build -c Release).");
        }

        var start = new ProcessStartInfo("dotnet", [app])
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = baseUrl,
            ["ConnectionStrings__Portal"] = $"Data Source={database}",
            ["Portal__BaseUrl"] = baseUrl,
            ["Jobs__RunServer"] = "false",
            ["Mail__PickupDirectory"] = mail,
            ["Benchmark__FloorPage"] = "true",

            // The load comes from one address; the limits would turn most of it into 429s.
            ["RateLimits__AuthPerMinute"] = "100000000",
            ["RateLimits__TokensPerMinute"] = "100000000",
            ["RateLimits__InvitationsPerHour"] = "100000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment.Concat(overrides ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.WriteLine("  app: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var result = new AppProcess(process, new Uri(baseUrl), mail);
        result.ReportExit("portal", log);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} on start-up.");
            }

            try
            {
                if ((await http.GetAsync(new Uri(result.BaseUri, "/healthz"))).StatusCode == HttpStatusCode.OK)
                {
                    return result;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        await result.DisposeAsync();
        throw new TimeoutException("The portal did not answer /healthz within two minutes.");
    }

    /// <summary>Resident memory now, in bytes (Linux /proc).</summary>
    public long ResidentBytes() => ReadStatus("VmRSS:");

    /// <summary>CPU time the process has used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private long ReadStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_mailFolder, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Samples the app's resident memory while a scenario runs; the peak is what the report shows.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<(TimeSpan At, long Bytes)> _samples = [];
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public MemorySampler(AppProcess app, TimeSpan interval)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var bytes = app.ResidentBytes();
                lock (_samples)
                {
                    _samples.Add((_watch.Elapsed, bytes));
                }

                try
                {
                    await Task.Delay(interval, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public long Peak
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count == 0 ? 0 : _samples.Max(s => s.Bytes);
            }
        }
    }

    /// <summary>Mean resident memory over a window of the run, for the soak's growth check.</summary>
    public long MeanBetween(TimeSpan from, TimeSpan to)
    {
        lock (_samples)
        {
            var window = _samples.Where(s => s.At >= from && s.At <= to).Select(s => s.Bytes).ToList();
            return window.Count == 0 ? 0 : (long)window.Average();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
