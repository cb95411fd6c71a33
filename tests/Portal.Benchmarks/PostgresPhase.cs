using Npgsql;

namespace Portal.Benchmarks;

/// <summary>
/// The read scenarios again, on PostgreSQL (<see cref="PostgresSeeder"/>'s copy of the same data set): with one instance,
/// measured exactly as on SQLite, then with two instances on the same database, each driven by its own wrk with half the
/// connections at the same time (req/s summed, the worse instance's percentiles, the larger working set, CPU of both per
/// request). Each setup measures the floor and the activity pages again against the 10,000-row copy.
/// </summary>
public static partial class Driver
{
    private static async Task MeasurePostgresAsync(RunOptions options, IReadOnlyList<Scenario> scenarios, Report report, TextWriter log)
    {
        if (PostgresSeeder.Server is not { } server)
        {
            log.WriteLine("No PostgreSQL server (PORTAL_BENCH_POSTGRES): the read scenarios run on SQLite only.");
            return;
        }

        var scale = options.Scale;
        var selected = scenarios.Where(s => Selected(options, s.Name)).ToList();
        var activity = selected.Where(s => s.Name == Floor || s.Group == "activity").ToList();
        foreach (var instances in new[] { 1, 2 })
        {
            var setup = instances == 1 ? "PostgreSQL, 1 instance" : $"PostgreSQL, {instances} instances";
            var phases = new List<(string Database, string Data, List<Scenario> Scenarios)>
            {
                (PostgresSeeder.DatabaseOf(scale), $"{setup}, {scale.Activity:N0} activity rows", selected),
            };
            if (activity.Count > 1)
            {
                phases.Add((PostgresSeeder.DatabaseOf(scale, small: true), $"{setup}, {scale.SmallActivity:N0} activity rows",
                    activity.Select(s => s.Name == Floor ? s with { Name = Floor + " (small log)" } : s).ToList()));
            }

            foreach (var (database, data, phase) in phases)
            {
                var environment = new Dictionary<string, string>
                {
                    ["ConnectionStrings__Portal"] = PostgresSeeder.ConnectionString(server, database),
                    ["Database__Provider"] = "Postgres",
                };
                var apps = new List<AppProcess>();
                var signedIn = new List<Visitors>();
                try
                {
                    for (var i = 0; i < instances; i++)
                    {
                        apps.Add(await AppProcess.StartAsync(options.Repository, "", log, environment));
                    }

                    log.WriteLine($"Portal on {string.Join(" and ", apps.Select(a => a.BaseUri))} against PostgreSQL {database} ({data}).");
                    foreach (var app in apps)
                    {
                        signedIn.Add(await SignInAsync(app, scale));
                    }

                    foreach (var scenario in phase)
                    {
                        report.Add(apps.Count == 1
                            ? await MeasureAsync(apps[0], signedIn[0], scenario, options, data, log)
                            : await MeasureInstancesAsync(apps, signedIn, scenario, options, data, log));
                    }
                }
                finally
                {
                    foreach (var visitors in signedIn)
                    {
                        visitors.Dispose();
                    }

                    foreach (var app in apps)
                    {
                        await app.DisposeAsync();
                    }

                    NpgsqlConnection.ClearAllPools();
                }
            }
        }
    }

    /// <summary>
    /// One scenario on several instances at once: a wrk per instance with an equal share of the scenario's connections,
    /// each with a visitor signed in on its own instance, warmed up and measured at the same moment.
    /// </summary>
    private static async Task<ScenarioResult> MeasureInstancesAsync(
        List<AppProcess> apps, List<Visitors> signedIn, Scenario scenario, RunOptions options, string data, TextWriter log)
    {
        var visitors = signedIn.Select(scenario.Who).ToList();
        foreach (var visitor in visitors)
        {
            for (var i = 0; i < 5; i++)
            {
                await ExpectPageAsync(visitor, scenario.Path);
            }
        }

        var connections = Math.Max(1, scenario.Connections / apps.Count);
        var threads = Math.Min(scenario.Threads, connections);
        var targets = apps.Select((app, i) => (Url: new Uri(app.BaseUri, scenario.Path), Cookie: visitors[i].CookieHeader(scenario.Path.Split('?')[0]))).ToList();
        if (options.WarmUp > TimeSpan.Zero)
        {
            await Task.WhenAll(targets.Select(t => Wrk.RunAsync(t.Url, options.WarmUp, threads, connections, t.Cookie)));
        }

        var samplers = apps.Select(app => new MemorySampler(app, TimeSpan.FromMilliseconds(100))).ToList();
        var cpuBefore = apps.Select(app => app.CpuTime()).ToList();
        WrkResult[] runs;
        try
        {
            runs = await Task.WhenAll(targets.Select(t => Wrk.RunAsync(t.Url, options.Duration, threads, connections, t.Cookie)));
        }
        finally
        {
            foreach (var sampler in samplers)
            {
                await sampler.DisposeAsync();
            }
        }

        var cpu = apps.Select((app, i) => (app.CpuTime() - cpuBefore[i]).TotalMilliseconds).Sum();
        foreach (var visitor in visitors)
        {
            await ExpectPageAsync(visitor, scenario.Path);
        }

        var requests = runs.Sum(r => r.Requests);
        return Log(log, new ScenarioResult(scenario.Name, "GET " + scenario.Path, scenario.Group, data, requests, runs.Sum(r => r.RequestsPerSecond),
            runs.Max(r => r.P50Ms), runs.Max(r => r.P95Ms), runs.Max(r => r.P99Ms), runs.Sum(r => r.Errors), samplers.Max(s => s.Peak) / 1048576.0,
            cpu / Math.Max(1, requests), $"wrk ×{apps.Count}, {connections} connections each"));
    }
}
