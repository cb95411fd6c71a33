using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Benchmarks;

/// <summary>What wrk measured for one scenario.</summary>
public sealed record WrkResult(long Requests, double Seconds, double P50Ms, double P95Ms, double P99Ms, double MaxMs, long Errors)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>Runs wrk (Debian's package, installed when missing) with a Lua script that prints the percentiles as JSON.</summary>
public static class Wrk
{
    public static void EnsureInstalled(TextWriter log)
    {
        if (Which("wrk"))
        {
            return;
        }

        log.WriteLine("Installing wrk from Debian...");
        var sudo = Environment.UserName == "root" ? "" : "sudo ";
        Run("bash", $"-c \"{sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {sudo}apt-get install -y -qq wrk >/dev/null\"");
        if (!Which("wrk"))
        {
            throw new InvalidOperationException("wrk is not installed and could not be installed (apt-get install wrk).");
        }
    }

    public static async Task<WrkResult> RunAsync(Uri url, TimeSpan duration, int threads, int connections, string? cookie, string method = "GET", string? body = null)
    {
        var script = Path.Combine(Path.GetTempPath(), $"portal-bench-{Guid.NewGuid():N}.lua");
        var lua = new StringBuilder();
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.method = {Quote(method)}");
        if (cookie is not null)
        {
            lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Cookie\"] = {Quote(cookie)}");
        }

        if (body is not null)
        {
            lua.AppendLine("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"");
            lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.body = {Quote(body)}");
        }

        lua.AppendLine("""
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('BENCHJSON {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"errors":%d}\n',
                summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
                e.connect + e.read + e.write + e.status + e.timeout))
            end
            """);
        await File.WriteAllTextAsync(script, lua.ToString());
        try
        {
            var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
            var output = await RunAsync("wrk", $"-t{threads} -c{connections} -d{seconds}s --timeout 30s -s {script} {url.AbsoluteUri}");
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCHJSON ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("wrk printed no summary: " + output);
            using var json = JsonDocument.Parse(line["BENCHJSON ".Length..]);
            var root = json.RootElement;
            double Ms(string name) => root.GetProperty(name).GetInt64() / 1000.0;
            return new WrkResult(root.GetProperty("requests").GetInt64(), root.GetProperty("duration_us").GetInt64() / 1e6,
                Ms("p50"), Ms("p95"), Ms("p99"), Ms("max"), root.GetProperty("errors").GetInt64());
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    private static void Run(string file, string arguments) => RunAsync(file, arguments).GetAwaiter().GetResult();

    private static async Task<string> RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
