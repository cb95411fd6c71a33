using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Benchmarks;

public sealed record MachineInfo(string Cpu, int Cores, double MemoryGb, string Os, string Runtime, string LoadAverageAtStart, string Commit)
{
}

public static class Machine
{
    public static MachineInfo Describe(string repository)
    {
        string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;
        return new MachineInfo(cpu, Environment.ProcessorCount, Math.Round(memKb / 1048576.0, 1), RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, Read("/proc/loadavg").Trim(), Commit(repository));
    }

    private static string Commit(string repository)
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse --short HEAD") { WorkingDirectory = repository, RedirectStandardOutput = true, UseShellExecute = false };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}

public sealed record TargetCheck(string Target, string Measured, bool Holds);

/// <summary>The run's figures, with every scenario as a ratio to the framework floor of the same run, as JSON and as a Markdown table.</summary>
public sealed class Report(Scale scale, MachineInfo machine, DateTimeOffset startedAt)
{
    public Scale Scale { get; } = scale;
    public MachineInfo Machine { get; } = machine;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public double DurationSeconds { get; private set; }
    public double HashVerifyMs { get; set; }
    public List<ScenarioResult> Scenarios { get; } = [];
    public SoakResult? Soak { get; set; }
    public List<TargetCheck> Targets { get; } = [];

    /// <summary>How the framework floor and the peer were built (the SDK whose templates made them, any pinned packages).</summary>
    public string PeersBuiltWith { get; set; } = "";

    public void Add(ScenarioResult result) => Scenarios.Add(result);

    public void Finish(DateTimeOffset finishedAt)
    {
        DurationSeconds = Math.Round((finishedAt - StartedAt).TotalSeconds);
        // One denominator for every phase: the framework floor, measured first (Portal's own floor page is a diagnostic row).
        if (FrameworkFloor is { Requests: > 0 } floor)
        {
            foreach (var s in Scenarios)
            {
                s.RpsRatio = Math.Round(s.RequestsPerSecond / floor.RequestsPerSecond, 3);
                s.P99Ratio = s.Requests == 0 ? 0 : Math.Round(s.P99Ms / floor.P99Ms, 2);
                s.MemoryRatio = Math.Round(s.PeakMemoryMb / floor.PeakMemoryMb, 2);
            }
        }

        CheckTargets();
    }

    private ScenarioResult? FrameworkFloor => Scenarios.FirstOrDefault(s => s.Name == Peers.FrameworkFloor);

    /// <summary>Portal's own scenarios: not the framework floor's nor the peer's (their process, their memory).</summary>
    private IEnumerable<ScenarioResult> Portal => Scenarios.Where(s => s.Group is not ("framework" or "peer"));

    private ScenarioResult? Find(string name, string? data = null) =>
        Scenarios.FirstOrDefault(s => s.Name == name && (data is null || s.Data == data));

    private void CheckTargets()
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var large = $"{Scale.Activity:N0} activity rows";
        var small = $"{Scale.SmallActivity:N0} activity rows";
        if (FrameworkFloor is not { Requests: > 0 })
        {
            Targets.Add(new("the framework floor measured in this run (the denominator of every ratio target)", "missing", false));
        }

        CheckReadTargets("", large, small);

        if (Scenarios.FirstOrDefault(s => s.Group == "export") is { Requests: > 0 } export)
        {
            var growth = export.PeakMemoryMb / export.MemoryBeforeMb - 1;
            Targets.Add(new($"{export.Name}: flat memory (peak ≤ 10 % over the working set before)",
                $"{growth * 100:+0.0;-0.0} % ({export.MemoryBeforeMb:F0} → peak {export.PeakMemoryMb:F0} MB)", growth <= 0.10));
        }

        if (Find("login") is { } login && HashVerifyMs > 0)
        {
            var ratio = login.P50Ms / HashVerifyMs;
            Targets.Add(new("login POST median ≤ 1.15 × one hash verification", $"{F(ratio)} × ({F(login.P50Ms)} ms vs {F(HashVerifyMs)} ms)", ratio <= 1.15));
        }

        if (Portal.Any())
        {
            var peak = Portal.Max(s => s.PeakMemoryMb);
            Targets.Add(new("peak working set under load ≤ 300 MB", $"{peak:F0} MB", peak <= 300));
        }

        // The same targets held again on each PostgreSQL setup: the same framework floor, and that setup's own small copy.
        foreach (var setup in new[] { "PostgreSQL, 1 instance", "PostgreSQL, 2 instances" })
        {
            CheckReadTargets($"{setup}: ", $"{setup}, {large}", $"{setup}, {small}");
        }

        if (Soak is { } soak)
        {
            Targets.Add(new($"no memory growth over a {soak.Seconds:F0} s soak (≤ 10 %)", $"{soak.Growth * 100:+0.0;-0.0} % ({soak.EarlyMb:F0} → {soak.LateMb:F0} MB)", soak.Growth <= 0.10));
        }
    }

    /// <summary>
    /// The read pages' targets for one setup (its rows' data column is <paramref name="large"/>, its small copy's
    /// <paramref name="small"/>; <paramref name="label"/> starts each target's text): a ratio of the framework floor's
    /// req/s, the text searches' p95, and the activity pages and searches flat from the small log to the large.
    /// </summary>
    private void CheckReadTargets(string label, string large, string small)
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

        // The pages held to a ratio of the framework floor's req/s (the text searches are held to their own p95 targets below).
        var measured = Portal.Where(s => s.Data == large && s.Tool.StartsWith("wrk", StringComparison.Ordinal) && s.Group is "client" or "activity" or "admin"
                                         && !s.Request.Contains("text=", StringComparison.Ordinal)).ToList();
        void Ratio(ScenarioResult s, double least, bool p99)
        {
            var target = $"{label}{s.Request[4..]} ≥ {F(least)} × framework floor req/s" + (p99 ? ", p99 ≤ 10 × framework floor p99" : "");
            Targets.Add(s.Requests == 0
                ? new(target, "no request completed", false)
                : new(target, $"{F(s.RpsRatio)} ×" + (p99 ? $", p99 {F(s.P99Ratio)} ×" : ""), s.RpsRatio >= least && (!p99 || s.P99Ratio <= 10)));
        }

        foreach (var s in measured.Where(s => !s.Request.StartsWith("GET /admin", StringComparison.Ordinal)))
        {
            Ratio(s, s.Request switch { "GET /healthz" => 0.6, "GET /dashboard" => 0.35, _ => 0.25 }, p99: true);
        }

        foreach (var s in measured.Where(s => s.Request.StartsWith("GET /admin", StringComparison.Ordinal)))
        {
            Ratio(s, 0.2, p99: false);
        }

        var searches = Scenarios.Where(s => s.Data == large && s.Request.Contains("text=", StringComparison.Ordinal)).ToList();
        foreach (var s in searches)
        {
            Targets.Add(new($"{label}{s.Name}: p95 ≤ 50 ms at {Scale.Activity:N0} rows ({Driver.SearchConnections} connections)",
                s.Requests == 0 ? "no request completed" : $"{F(s.P95Ms)} ms", s.Requests > 0 && s.P95Ms <= 50));
        }

        foreach (var name in new[] { "account activity", "admin activity by client" }.Concat(searches.Select(s => s.Name)))
        {
            if (Find(name, large) is { Requests: > 0 } big && Find(name, small) is { Requests: > 0 } little)
            {
                var ratio = big.P95Ms / little.P95Ms;
                Targets.Add(new($"{label}{name}: p95 at {Scale.Activity:N0} rows ≤ 1.5 × p95 at {Scale.SmallActivity:N0}",
                    $"{F(ratio)} × ({F(big.P95Ms)} ms vs {F(little.P95Ms)} ms)", ratio <= 1.5));
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(new
    {
        scale = Scale,
        machine = Machine,
        startedAt = StartedAt,
        durationSeconds = DurationSeconds,
        hashVerifyMs = Math.Round(HashVerifyMs, 2),
        peersBuiltWith = PeersBuiltWith,
        scenarios = Scenarios.Select(s => new
        {
            s.Name, s.Request, s.Data, s.Tool, s.Requests,
            requestsPerSecond = Math.Round(s.RequestsPerSecond, 1),
            p50Ms = Math.Round(s.P50Ms, 2), p95Ms = Math.Round(s.P95Ms, 2), p99Ms = Math.Round(s.P99Ms, 2),
            s.Errors,
            peakMemoryMb = Math.Round(s.PeakMemoryMb, 1),
            cpuMsPerRequest = Math.Round(s.CpuMsPerRequest, 3),
            s.Group,
            ratioToFrameworkFloor = new { requestsPerSecond = s.RpsRatio, p99 = s.P99Ratio, peakMemory = s.MemoryRatio },
        }),
        soak = Soak,
        targets = Targets,
    }, Json);

    public string ToMarkdown(string command)
    {
        var md = new StringBuilder();
        string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture, $"Scale `{Scale.Name}`: {Scale.Users:N0} users, {Scale.Clients:N0} accounts, {Scale.Associations:N0} associations, " +
                                                    $"{Scale.Activity:N0} activity entries ({Scale.SmallActivity:N0} in the small copy), {Scale.Orders:N0} orders / invoices / services, {Scale.Tickets:N0} tickets.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryGb} GB, {Machine.Os}, {Machine.Runtime}; load average at start {Machine.LoadAverageAtStart}; commit {Machine.Commit}; {StartedAt:yyyy-MM-dd HH:mm} UTC, {DurationSeconds:F0} s.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`. One password-hash verification: {F(HashVerifyMs, "0.0")} ms.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Framework floor: `dotnet new webapp` with cookie authentication, signed-in `/`. Peer: the stock Identity UI app, `dotnet new webapp --auth Individual` on SQLite. Both built Release from the {PeersBuiltWith}, run in Production on loopback ports, one at a time, before Portal. Portal floor: Portal's `/benchmark/floor` (layout and session check), a diagnostic. Ratios (× framework floor) are of req/s and of p99; peak MB and CPU ms/req are absolute, of the process that served the row.");
        md.AppendLine();
        md.AppendLine("| scenario | data | req/s | × framework floor | p50 ms | p95 ms | p99 ms | p99 × framework floor | peak MB | CPU ms/req | errors |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var s in Scenarios)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Name} (`{s.Request}`) | {s.Data} | {F(s.RequestsPerSecond, "0")} | {F(s.RpsRatio, "0.00")} | {F(s.P50Ms)} | {F(s.P95Ms)} | {F(s.P99Ms)} | {F(s.P99Ratio, "0.0")} | {F(s.PeakMemoryMb, "0")} | {F(s.CpuMsPerRequest, "0.00")} | {s.Errors} |");
        }

        if (Soak is { } soak)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Soak: `/dashboard` for {soak.Seconds:F0} s at {F(soak.RequestsPerSecond, "0")} req/s; resident memory {F(soak.EarlyMb, "0")} MB early, {F(soak.LateMb, "0")} MB late, peak {F(soak.PeakMb, "0")} MB.");
        }

        md.AppendLine();
        md.AppendLine("| target | measured | holds |");
        md.AppendLine("|---|---|---|");
        foreach (var t in Targets)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Target} | {t.Measured} | {(t.Holds ? "yes" : "**no**")} |");
        }

        return md.ToString();
    }
}
