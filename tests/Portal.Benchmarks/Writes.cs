using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Features.Billing;
using Portal.Features.Identity;
using Portal.Features.Support;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Benchmarks;

/// <summary>What the write scenarios need: how long each runs, how many accounts write, and a PostgreSQL server (or none).</summary>
public sealed record WriteOptions(string Repository, TimeSpan Duration, TimeSpan WarmUp, int Accounts, string? PostgresServer, bool IsShort);

/// <summary>One write scenario on one setup (a database and a number of instances), all instances together.</summary>
public sealed record WriteResult(
    string Setup, string Scenario, string Request, int Instances, int Connections, long Writes, double WritesPerSecond,
    double P50Ms, double P99Ms, long Errors, long ServerErrors, double CpuMsPerWrite);

/// <summary>
/// The write scenarios (issue 29): registrations, orders placed in different accounts and ticket replies, each with 50
/// connections, on SQLite, on PostgreSQL with one instance and with two instances behind no balancer (two wrk runs of 25
/// connections each, one per instance, at the same time). Each setup starts from an empty database: the accounts are
/// registered through the real form (so each has a signed-in owner), then each owner opens a ticket. Every request must
/// answer the redirect of a done write; anything else is an error, and a 5xx is counted apart. Self-contained: it starts
/// its own app processes and databases and drives wrk with a Lua script of its own.
/// </summary>
public static class Writes
{
    public const int Connections = 50;

    private const string RegisterPassword = "violet harbour engine sketch";

    public static async Task<WriteReport> RunAsync(WriteOptions options, TextWriter log)
    {
        Wrk.EnsureInstalled(log);
        var report = new WriteReport(Machine.Describe(options.Repository), DateTimeOffset.UtcNow, HashMilliseconds(), StrengthMilliseconds(), Environment.ProcessorCount);
        log.WriteLine($"One password hash ({AuthSetup.PasswordHashIterations:N0} iterations): {report.HashMs:F1} ms; {report.Cores} cores allow {report.HashesPerSecond:F1} hashes/s. The strength check of the same password: {report.StrengthMs:F1} ms.");

        var setups = new List<(string Name, string Provider, int Instances)> { ("SQLite", "Sqlite", 1) };
        if (options.PostgresServer is not null)
        {
            setups.Add(("PostgreSQL, 1 instance", "Postgres", 1));
            setups.Add(("PostgreSQL, 2 instances", "Postgres", 2));
        }
        else
        {
            log.WriteLine("No PostgreSQL server (PORTAL_BENCH_POSTGRES): the write scenarios run on SQLite only.");
        }

        foreach (var (name, provider, instances) in setups)
        {
            log.WriteLine($"Writes on {name}...");
            report.Results.AddRange(await RunSetupAsync(options, name, provider, instances, log));
        }

        report.Finish(DateTimeOffset.UtcNow);
        return report;
    }

    private static async Task<List<WriteResult>> RunSetupAsync(WriteOptions options, string setup, string provider, int instanceCount, TextWriter log)
    {
        var (connectionString, drop) = await EmptyDatabaseAsync(options, provider);
        var apps = new List<AppProcess>();
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Portal"] = connectionString,
                ["Database__Provider"] = provider,
            };
            for (var i = 0; i < instanceCount; i++)
            {
                apps.Add(await AppProcess.StartAsync(options.Repository, "", log, environment));
            }

            var (productId, departmentId) = await SeedCatalogueAsync(provider, connectionString);
            var accounts = await RegisterAccountsAsync(apps[0].BaseUri, options.Accounts, departmentId, log);
            using var anonymous = new Visitor(apps[0].BaseUri);
            var registerToken = await anonymous.TokenAsync("/register");

            var scenarios = new (string Name, string Request, string Script)[]
            {
                ("registrations", "POST /register", RegistrationScript(anonymous.CookieHeader("/register"), registerToken)),
                ("orders in different accounts", "POST /orders/new?handler=Review, then Confirm", OrderScript(accounts, productId)),
                ("ticket replies", "POST /tickets/{id}", ReplyScript(accounts)),
            };
            var results = new List<WriteResult>();
            foreach (var (name, request, script) in scenarios)
            {
                var perInstance = Connections / instanceCount;
                if (options.WarmUp > TimeSpan.Zero)
                {
                    await Task.WhenAll(apps.Select(app => RunWrkAsync(app.BaseUri, options.WarmUp, perInstance, script)));
                }

                await SettleAsync(apps, log);
                var cpuBefore = apps.Sum(a => a.CpuTime().TotalMilliseconds);
                var runs = await Task.WhenAll(apps.Select(app => RunWrkAsync(app.BaseUri, options.Duration, perInstance, script)));
                var cpu = apps.Sum(a => a.CpuTime().TotalMilliseconds) - cpuBefore;
                var writes = runs.Sum(r => r.Done);
                var result = new WriteResult(setup, name, request, instanceCount, perInstance * instanceCount, writes, runs.Sum(r => r.Done / r.Seconds),
                    runs.Max(r => r.P50Ms), runs.Max(r => r.P99Ms), runs.Sum(r => r.Errors), runs.Sum(r => r.ServerErrors), cpu / Math.Max(1, writes));
                log.WriteLine($"  {name,-30} {result.WritesPerSecond,8:F1} writes/s  p50 {result.P50Ms,8:F1} ms  p99 {result.P99Ms,8:F1} ms  errors {result.Errors}  5xx {result.ServerErrors}  {result.CpuMsPerWrite:F1} ms CPU/write");
                results.Add(result);
            }

            return results;
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }

            await drop();
        }
    }

    /// <summary>
    /// Waits until the instances are idle (under 5 % of a core for a second, at most a minute): when wrk stops, requests it
    /// left in flight still run (fifty registrations queue behind the password hash), and their work must not be counted
    /// against the next scenario.
    /// </summary>
    private static async Task SettleAsync(List<AppProcess> apps, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            var before = apps.Sum(a => a.CpuTime().TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (apps.Sum(a => a.CpuTime().TotalMilliseconds) - before < 50 * apps.Count)
            {
                return;
            }
        }

        log.WriteLine("  (the instances were still busy after a minute; measuring anyway)");
    }

    /// <summary>A new, empty database: a SQLite file, or a PostgreSQL database of its own on the server.</summary>
    private static async Task<(string ConnectionString, Func<Task> Drop)> EmptyDatabaseAsync(WriteOptions options, string provider)
    {
        if (provider == "Sqlite")
        {
            var folder = Path.Combine(Path.GetTempPath(), "portal-bench-writes-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            return ($"Data Source={Path.Combine(folder, "portal.db")}", () =>
            {
                SqliteDrop(folder);
                return Task.CompletedTask;
            });
        }

        var name = "portal_bench_writes_" + Guid.NewGuid().ToString("N")[..8];
        await using (var server = new NpgsqlConnection(options.PostgresServer))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(options.PostgresServer) { Database = name }.ConnectionString;
        return (connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var server = new NpgsqlConnection(options.PostgresServer);
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync();
        });
    }

    private static void SqliteDrop(string folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A product to order and a department for tickets, written with the app's own model.</summary>
    private static async Task<(int ProductId, int DepartmentId)> SeedCatalogueAsync(string provider, string connectionString)
    {
        await using PortalDbContext db = provider == "Postgres"
            ? new PostgresPortalDbContext((DbContextOptions<PostgresPortalDbContext>)new DbContextOptionsBuilder<PostgresPortalDbContext>().UsePortalNpgsql(connectionString).Options)
            : new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(connectionString).Options);
        var product = Product.Create(new ProductDetails("Bench Plan", "A plan to order", 10m, 0m, BillingCycle.Monthly, false), DateTimeOffset.UtcNow);
        var department = Department.Create("Bench Support", "bench-support@bench.example", hidden: false);
        db.AddRange(product, department);
        await db.SaveChangesAsync();
        return (product.Id, department.Id);
    }

    private sealed record Account(string Cookie, string Token, int TicketId);

    /// <summary>Registers the accounts through the form (eight at a time); each owner, signed in by it, opens a ticket.</summary>
    private static async Task<List<Account>> RegisterAccountsAsync(Uri baseUri, int count, int departmentId, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        var accounts = new Account[count];
        using var turns = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await turns.WaitAsync();
            try
            {
                using var owner = new Visitor(baseUri);
                var (status, body, location) = await owner.SubmitAsync("/register", RegistrationForm($"owner{i}-{Guid.NewGuid():N}@bench.example", $"Bench Writers {i + 1}"));
                Expect(status == HttpStatusCode.Redirect, "registering an account", status, body, location);
                var token = await owner.TokenAsync("/tickets/new");
                var (opened, page, ticket) = await owner.PostAsync("/tickets/new", new Dictionary<string, string>
                {
                    ["Input.DepartmentId"] = departmentId.ToString(CultureInfo.InvariantCulture), ["Input.Subject"] = "Benchmark thread",
                    ["Input.Message"] = "Replies are written here.", ["__RequestVerificationToken"] = token,
                });
                Expect(opened == HttpStatusCode.Redirect && ticket is not null, "opening a ticket", opened, page, ticket);
                accounts[i] = new Account(owner.CookieHeader("/orders/new"), token, int.Parse(ticket!.Split('/').Last(), CultureInfo.InvariantCulture));
            }
            finally
            {
                turns.Release();
            }
        }));
        log.WriteLine($"  {count} accounts registered, each with a ticket, in {watch.Elapsed.TotalSeconds:F0} s");
        return accounts.ToList();
    }

    /// <summary>The registration form; each benchmark account has a company name of its own, which its order review shows.</summary>
    private static Dictionary<string, string> RegistrationForm(string email, string company = "Bench Writers") => new()
    {
        ["Input.FirstName"] = "Bench",
        ["Input.LastName"] = "Writer",
        ["Input.CompanyName"] = company,
        ["Input.Email"] = email,
        ["Input.Address1"] = "12 Market Street",
        ["Input.City"] = "Leeds",
        ["Input.State"] = "",
        ["Input.Postcode"] = "LS1 1AA",
        ["Input.Country"] = "United Kingdom",
        ["Input.Phone"] = "+44 113 496 0000",
        ["Input.Password"] = RegisterPassword,
        ["Input.ConfirmPassword"] = RegisterPassword,
    };

    private static void Expect(bool condition, string what, HttpStatusCode status, string body, string? location)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{what} answered {(int)status} {location}: {Visitor.Excerpt(body)}");
        }
    }

    /// <summary>Each request a new address (the wrk run, its thread and a counter), one anonymous visitor's token.</summary>
    private static string RegistrationScript(string cookie, string token)
    {
        var form = string.Join('&', RegistrationForm("EMAIL").Where(f => f.Key != "Input.Email").Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        return $$"""
            local form = {{Lua(form + "&__RequestVerificationToken=" + Uri.EscapeDataString(token))}}
            local cookie = {{Lua(cookie)}}
            function request()
              counter = counter + 1
              local email = string.format("r%s-%d-%d%%40bench.example", run, id, counter)
              return wrk.format("POST", "/register", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }, form .. "&Input.Email=" .. email)
            end
            """;
    }

    /// <summary>
    /// An order is placed as the form places it: the owner reviews one product (the review stores the priced lines under a
    /// new key) and confirms that review. Each request is the confirmation of a review a response brought back, or when
    /// none waits, the next account's review; a review's page names its account ("Bench Writers N (owner)"), so the confirmation
    /// goes out with that account's cookie. Only confirmations count as writes; a review that brings back no key is an error.
    /// </summary>
    private static string OrderScript(List<Account> accounts, int productId) => $$"""
        {{AccountsTable(accounts)}}
        local lines = "Input.Lines%5B0%5D.ProductId={{productId}}&Input.Lines%5B0%5D.Quantity=1"
        local reviewed = {}
        function request()
          counter = counter + 1
          local r = table.remove(reviewed)
          if r then
            local a = accounts[r.account]
            return wrk.format("POST", "/orders/new?handler=Confirm", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = a.cookie },
              lines .. "&Input.IdempotencyKey=" .. r.key .. "&__RequestVerificationToken=" .. a.token)
          end
          local a = accounts[((id * 7919 + counter) % #accounts) + 1]
          return wrk.format("POST", "/orders/new?handler=Review", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = a.cookie },
            lines .. "&__RequestVerificationToken=" .. a.token)
        end
        function step(status, body)
          if status ~= 200 or body == nil then return false end
          local key = body:match('name="Input.IdempotencyKey" value="([^"]+)"')
          local account = body:match("<strong>Bench Writers (%d+) ")
          if key == nil or account == nil then return false end
          table.insert(reviewed, { account = tonumber(account), key = key })
          return true
        end
        """;

    /// <summary>Each request the next account's owner replies to their ticket.</summary>
    private static string ReplyScript(List<Account> accounts) => $$"""
        {{AccountsTable(accounts)}}
        function request()
          counter = counter + 1
          local a = accounts[((id * 7919 + counter) % #accounts) + 1]
          local body = "Input.Message=Reply+" .. counter .. "+from+thread+" .. id .. "&__RequestVerificationToken=" .. a.token
          return wrk.format("POST", "/tickets/" .. a.ticket, { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = a.cookie }, body)
        end
        """;

    private static string AccountsTable(List<Account> accounts) =>
        "local accounts = {\n" + string.Join(",\n", accounts.Select(a => $"  {{ cookie = {Lua(a.Cookie)}, token = {Lua(Uri.EscapeDataString(a.Token))}, ticket = {a.TicketId} }}")) + "\n}";

    private static string Lua(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private sealed record WrkRun(long Done, double Seconds, double P50Ms, double P99Ms, long Errors, long ServerErrors);

    /// <summary>
    /// wrk with the scenario's request() and a response() that counts every answer but the redirect of a done write as an
    /// error (a 5xx apart), unless the scenario's own step() takes it as a step towards a write (an order's review); the
    /// summary adds up every thread's counts.
    /// </summary>
    private static async Task<WrkRun> RunWrkAsync(Uri baseUri, TimeSpan duration, int connections, string requestScript)
    {
        var script = Path.Combine(Path.GetTempPath(), $"portal-bench-writes-{Guid.NewGuid():N}.lua");
        var lua = $$"""
            local threads = {}
            run = "{{Guid.NewGuid().ToString("N")[..8]}}"
            function setup(thread)
              thread:set("id", #threads + 1)
              table.insert(threads, thread)
            end
            function init(args)
              counter = 0
              ok = 0
              unexpected = 0
              fivexx = 0
            end
            {{requestScript}}
            function response(status, headers, body)
              if step ~= nil and step(status, body) then
                return
              end
              if status == 302 then
                ok = ok + 1
              elseif status >= 500 then
                fivexx = fivexx + 1
              else
                unexpected = unexpected + 1
              end
            end
            function done(summary, latency, requests)
              local d, u, f = 0, 0, 0
              for _, t in ipairs(threads) do
                d = d + t:get("ok")
                u = u + t:get("unexpected")
                f = f + t:get("fivexx")
              end
              local e = summary.errors
              io.write(string.format('BENCHJSON {"done":%d,"duration_us":%d,"p50":%d,"p99":%d,"errors":%d,"fivexx":%d}\n',
                d, summary.duration, latency:percentile(50), latency:percentile(99), u + f + e.connect + e.read + e.write + e.timeout, f))
            end
            """;
        await File.WriteAllTextAsync(script, lua);
        try
        {
            var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
            var threads = Math.Min(2, connections);
            var start = new ProcessStartInfo("wrk", $"-t{threads} -c{connections} -d{seconds}s --timeout 60s -s {script} {baseUri.AbsoluteUri}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCHJSON ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no summary ({process.ExitCode}): {output} {error}");
            using var json = JsonDocument.Parse(line["BENCHJSON ".Length..]);
            var root = json.RootElement;
            return new WrkRun(root.GetProperty("done").GetInt64(), root.GetProperty("duration_us").GetInt64() / 1e6,
                root.GetProperty("p50").GetInt64() / 1000.0, root.GetProperty("p99").GetInt64() / 1000.0, root.GetProperty("errors").GetInt64(), root.GetProperty("fivexx").GetInt64());
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>The median of one production password hash on this machine, now.</summary>
    private static double HashMilliseconds()
    {
        var hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordHashIterations }));
        return Median(() => hasher.HashPassword(new User(), RegisterPassword));
    }

    /// <summary>The median of the registration's strength check (zxcvbn against the name and address) of the same password.</summary>
    private static double StrengthMilliseconds() =>
        Median(() => PasswordPolicy.Problem(RegisterPassword, "r-bench@bench.example", "Bench", "Writer", "12 Market Street", "Leeds", "Bench Writers"));

    private static double Median(Action work)
    {
        work();
        var times = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            var watch = Stopwatch.StartNew();
            work();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}

/// <summary>The write scenarios' figures and their targets, as Markdown and JSON.</summary>
public sealed class WriteReport(MachineInfo machine, DateTimeOffset startedAt, double hashMs, double strengthMs, int cores)
{
    public MachineInfo Machine { get; } = machine;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public double DurationSeconds { get; private set; }
    public double HashMs { get; } = hashMs;
    public double StrengthMs { get; } = strengthMs;
    public int Cores { get; } = cores;
    public double HashesPerSecond => Cores * 1000 / HashMs;
    public List<WriteResult> Results { get; } = [];
    public List<TargetCheck> Targets { get; } = [];

    public void Finish(DateTimeOffset finishedAt)
    {
        DurationSeconds = Math.Round((finishedAt - StartedAt).TotalSeconds);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        foreach (var r in Results)
        {
            Targets.Add(new($"{r.Setup}, {r.Scenario}: 0 errors, 0 × 5xx", $"{r.Errors} errors, {r.ServerErrors} × 5xx", r.Errors == 0 && r.ServerErrors == 0 && r.Writes > 0));
        }

        foreach (var r in Results.Where(r => r.Scenario == "registrations"))
        {
            var share = r.WritesPerSecond / HashesPerSecond;
            Targets.Add(new($"{r.Setup}: registrations/s ≥ 0.8 × what the hash allows ({F(HashesPerSecond)}/s on {Cores} cores)", $"{F(r.WritesPerSecond)}/s, {F(share)} ×", share >= 0.8));
        }

        var one = Results.FirstOrDefault(r => r.Setup == "PostgreSQL, 1 instance" && r.Scenario == "orders in different accounts");
        var two = Results.FirstOrDefault(r => r.Setup == "PostgreSQL, 2 instances" && r.Scenario == "orders in different accounts");
        if (one is { WritesPerSecond: > 0 } && two is not null)
        {
            var ratio = two.WritesPerSecond / one.WritesPerSecond;
            Targets.Add(new("PostgreSQL orders in different accounts: 2 instances ≥ 1.5 × 1 instance", $"{F(ratio)} × ({F(two.WritesPerSecond)} vs {F(one.WritesPerSecond)} writes/s)", ratio >= 1.5));
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(new { machine = Machine, startedAt = StartedAt, durationSeconds = DurationSeconds, hashMs = HashMs, strengthMs = StrengthMs, cores = Cores, results = Results, targets = Targets }, Json);

    public string ToMarkdown(string command)
    {
        var md = new StringBuilder();
        string F(double v, string format = "0.#") => v.ToString(format, CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryGb} GB, {Machine.Os}, {Machine.Runtime}; load average at start {Machine.LoadAverageAtStart}; commit {Machine.Commit}; {StartedAt:yyyy-MM-dd HH:mm} UTC, {DurationSeconds:F0} s.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`. One password hash: {F(HashMs)} ms, so {Cores} cores allow {F(HashesPerSecond)} hashes/s; a registration also checks the password's strength (zxcvbn), {F(StrengthMs)} ms.");
        md.AppendLine();
        md.AppendLine("| setup | scenario | connections | writes/s | p50 ms | p99 ms | errors | 5xx | CPU ms/write |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in Results)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Setup} | {r.Scenario} (`{r.Request}`) | {r.Connections} | {F(r.WritesPerSecond)} | {F(r.P50Ms)} | {F(r.P99Ms)} | {r.Errors} | {r.ServerErrors} | {F(r.CpuMsPerWrite)} |");
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
