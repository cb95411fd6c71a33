using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Identity;

namespace Portal.Benchmarks;

public sealed record RunOptions(Scale Scale, string Database, string Repository, TimeSpan Duration, TimeSpan WarmUp, TimeSpan Soak, IReadOnlySet<string> Only);

/// <summary>One measured scenario. Ratios are to the framework floor (<see cref="Peers.FrameworkFloor"/>) measured at the start of the same run.</summary>
public sealed record ScenarioResult(
    string Name, string Request, string Group, string Data, long Requests, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms,
    long Errors, double PeakMemoryMb, double CpuMsPerRequest, string Tool)
{
    public double RpsRatio { get; set; }
    public double P99Ratio { get; set; }
    public double MemoryRatio { get; set; }

    /// <summary>Resident memory just before the scenario, where it matters (the CSV export); 0 otherwise.</summary>
    public double MemoryBeforeMb { get; set; }
}

/// <summary>Visitors signed in once per phase; wrk gets their cookies.</summary>
internal sealed class Visitors(Uri baseUri) : IDisposable
{
    public Visitor Owner { get; } = new(baseUri);
    public Visitor Multi { get; } = new(baseUri);
    public Visitor Admin { get; } = new(baseUri);
    public Visitor Anonymous { get; } = new(baseUri);

    public void Dispose()
    {
        Owner.Dispose();
        Multi.Dispose();
        Admin.Dispose();
        Anonymous.Dispose();
    }
}

internal sealed record Scenario(string Name, string Path, string Group, Func<Visitors, Visitor> Who, int Connections = 50, int Threads = 2, string Method = "GET");

/// <summary>Starts the app against the seeded file, signs in, drives every scenario with wrk and writes the report.</summary>
public static partial class Driver
{
    /// <summary>Portal's own floor page (client layout and session check, no query of its own): a diagnostic row, not the denominator.</summary>
    public const string Floor = "portal floor";

    /// <summary>Concurrent connections for the text searches (the others use 50).</summary>
    public const int SearchConnections = 8;

    public static async Task<Report> RunAsync(RunOptions options, TextWriter log)
    {
        Wrk.EnsureInstalled(log);
        var started = DateTimeOffset.UtcNow;
        var report = new Report(options.Scale, Machine.Describe(options.Repository), started);

        var scale = options.Scale;
        var large = $"{scale.Activity:N0} activity rows";
        var small = $"{scale.SmallActivity:N0} activity rows";
        var clientArea = new List<Scenario>
        {
            new(Floor, "/benchmark/floor", "diagnostic", v => v.Owner),
            new("dashboard", "/dashboard", "client", v => v.Owner),
            new("healthz signed in", "/healthz", "client", v => v.Owner),
            new("user accounts (500)", "/user/accounts", "client", v => v.Multi),
            new("account users (50)", "/account/users", "client", v => v.Owner),
            new("account activity", "/account/activity", "activity", v => v.Owner),
            new("invoices", "/invoices", "client", v => v.Owner),
            new("tickets", "/tickets", "client", v => v.Owner),
            new("admin home", "/admin", "admin", v => v.Admin),
            new($"admin clients search ({HarbourAccounts(options.Database):N0} matches)", "/admin/clients?q=Harbour", "admin", v => v.Admin),
            new("admin activity by client", $"/admin/activity?clientId={Scale.BusyClientId}", "activity", v => v.Admin),
            // Searches run at 8 connections, as the search issue measured them; each is held to p95 ≤ 50 ms at a million rows.
            new("account activity search (phrase)", "/account/activity?text=%22permissions%20changed%22", "activity", v => v.Owner, Connections: SearchConnections),
            new("account activity search (absent)", "/account/activity?text=%22provider%20staff%22", "activity", v => v.Owner, Connections: SearchConnections),
            // A phrase in one entry in twenty of the whole log but one in a thousand of the busy account's (Seeder.NewDevicePhrase).
            new("account activity search (common in the log, rare here)", "/account/activity?text=%22new%20device%22", "activity", v => v.Owner, Connections: SearchConnections),
            new("admin activity", "/admin/activity", "activity", v => v.Admin),
            new("admin activity text search", "/admin/activity?text=user42%40", "activity", v => v.Admin, Connections: SearchConnections),
            new("admin activity search (common)", "/admin/activity?text=invited", "activity", v => v.Admin, Connections: SearchConnections),
            new("admin users search", "/admin/users?q=user4217", "admin", v => v.Admin),
            new("admin ticket queue", "/admin/tickets", "admin", v => v.Admin),
        };

        await MeasurePeersAsync(options, report, log);

        await using (var app = await AppProcess.StartAsync(options.Repository, Path.GetFullPath(options.Database), log))
        {
            log.WriteLine($"Portal on {app.BaseUri} against {options.Database} ({large}).");
            using var visitors = await SignInAsync(app, scale);
            foreach (var scenario in clientArea.Where(s => Selected(options, s.Name)))
            {
                report.Add(await MeasureAsync(app, visitors, scenario, options, large, log));
            }

            if (Selected(options, "login"))
            {
                // The hash is timed just before and just after the logins, so that both see the same machine: on a shared
                // host one hash took 110 ms in one run and 172 ms in another.
                var before = MeasureHashVerification(log);
                report.Add(await MeasureLoginAsync(app, visitors, options, large, log));
                report.HashVerifyMs = (before + MeasureHashVerification(log)) / 2;
                log.WriteLine($"One password-hash verification ({AuthSetup.PasswordHashIterations:N0} iterations): {report.HashVerifyMs:F1} ms (median, before and after the logins)");
            }

            if (Selected(options, "invite and accept"))
            {
                report.Add(await MeasureInvitationsAsync(app, options, large, log));
            }

            if (Selected(options, "csv export"))
            {
                report.Add(await MeasureExportAsync(app, visitors, large, log));
            }

            if (options.Soak > TimeSpan.Zero && Selected(options, "soak"))
            {
                report.Soak = await SoakAsync(app, visitors, options, log);
            }
        }

        var activity = clientArea.Where(s => s.Name == Floor || s.Group == "activity").Where(s => Selected(options, s.Name)).ToList();
        if (activity.Count > 1)
        {
            await using var app = await AppProcess.StartAsync(options.Repository, Path.GetFullPath(Seeder.SmallPath(options.Database)), log);
            log.WriteLine($"Portal on {app.BaseUri} against {Seeder.SmallPath(options.Database)} ({small}).");
            using var visitors = await SignInAsync(app, scale);
            foreach (var scenario in activity)
            {
                report.Add(await MeasureAsync(app, visitors, scenario with { Name = scenario.Name == Floor ? Floor + " (small log)" : scenario.Name }, options, small, log));
            }
        }

        await MeasurePostgresAsync(options, clientArea, report, log);
        report.Finish(DateTimeOffset.UtcNow);
        return report;
    }

    private static bool Selected(RunOptions options, string name) =>
        options.Only.Count == 0 || name == Floor || name == Peers.FrameworkFloor || options.Only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase));

    /// <summary>Accounts the admin clients search for "Harbour" finds: every tenth account (5,000 at full scale).</summary>
    private static long HarbourAccounts(string database)
    {
        using var connection = new SqliteConnection($"Data Source={Path.GetFullPath(database)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM Clients WHERE CompanyName LIKE '%Harbour%' OR FirstName LIKE '%Harbour%' OR LastName LIKE '%Harbour%' OR Email LIKE '%Harbour%' OR Address1 LIKE '%Harbour%' OR City LIKE '%Harbour%'";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<Visitors> SignInAsync(AppProcess app, Scale scale)
    {
        var visitors = new Visitors(app.BaseUri);
        await visitors.Owner.SignInAsync(Scale.EmailOf(Scale.BusyOwnerId), Scale.Password);
        await visitors.Multi.SignInAsync(Scale.EmailOf(scale.MultiUserId), Scale.Password);
        await visitors.Admin.SignInAsync(Scale.AdminEmail, Scale.Password, admin: true);
        await visitors.Anonymous.TokenAsync("/login");
        return visitors;
    }

    private static async Task<ScenarioResult> MeasureAsync(AppProcess app, Visitors visitors, Scenario scenario, RunOptions options, string data, TextWriter log)
    {
        var visitor = scenario.Who(visitors);

        // A few requests one at a time first: compiles the page and its queries before wrk's own warm-up.
        for (var i = 0; i < 5; i++)
        {
            await ExpectPageAsync(visitor, scenario.Path);
        }

        var cookie = visitor.CookieHeader(scenario.Path.Split('?')[0]);
        var url = new Uri(app.BaseUri, scenario.Path);
        if (options.WarmUp > TimeSpan.Zero)
        {
            await Wrk.RunAsync(url, options.WarmUp, scenario.Threads, scenario.Connections, cookie);
        }

        var (result, peak, cpu) = await MeasuredAsync(app, () => Wrk.RunAsync(url, options.Duration, scenario.Threads, scenario.Connections, cookie));

        // Still signed in and still the page: a redirect to the login page would otherwise count as a fast success.
        await ExpectPageAsync(visitor, scenario.Path);
        return Log(log, new ScenarioResult(scenario.Name, "GET " + scenario.Path, scenario.Group, data, result.Requests, result.RequestsPerSecond,
            result.P50Ms, result.P95Ms, result.P99Ms, result.Errors, peak / 1048576.0, cpu.TotalMilliseconds / Math.Max(1, result.Requests), "wrk"));
    }

    private static async Task<(T Result, long PeakBytes, TimeSpan Cpu)> MeasuredAsync<T>(AppProcess app, Func<Task<T>> run)
    {
        var cpuBefore = app.CpuTime();
        await using var memory = new MemorySampler(app, TimeSpan.FromMilliseconds(100));
        var result = await run();
        var cpu = app.CpuTime() - cpuBefore;
        return (result, memory.Peak, cpu);
    }

    private static async Task ExpectPageAsync(Visitor visitor, string path)
    {
        var (status, body, location) = await visitor.GetAsync(path);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)status} {location}: {Visitor.Excerpt(body)}");
        }
    }

    /// <summary>The login POST, one connection at a time so that its median is a latency, not a queue.</summary>
    private static async Task<ScenarioResult> MeasureLoginAsync(AppProcess app, Visitors visitors, RunOptions options, string data, TextWriter log)
    {
        var token = await visitors.Anonymous.TokenAsync("/login");
        var form = new Dictionary<string, string>
        {
            ["Input.Email"] = Scale.EmailOf(Scale.LoginUserId),
            ["Input.Password"] = Scale.Password,
            ["__RequestVerificationToken"] = token,
        };
        var body = await new FormUrlEncodedContent(form).ReadAsStringAsync();
        var cookie = visitors.Anonymous.CookieHeader("/login");

        using (var check = new Visitor(app.BaseUri))
        {
            var (status, page, location) = await check.SubmitAsync("/login", new() { ["Input.Email"] = form["Input.Email"], ["Input.Password"] = Scale.Password });
            if (status != HttpStatusCode.Redirect || location?.StartsWith("/login", StringComparison.Ordinal) == true)
            {
                throw new InvalidOperationException($"The login POST answered {(int)status} {location}: {Visitor.Excerpt(page)}");
            }
        }

        var url = new Uri(app.BaseUri, "/login");
        await Wrk.RunAsync(url, TimeSpan.FromSeconds(Math.Min(2, options.WarmUp.TotalSeconds)), 1, 1, cookie, "POST", body);
        var (result, peak, cpu) = await MeasuredAsync(app, () => Wrk.RunAsync(url, options.Duration, 1, 1, cookie, "POST", body));
        return Log(log, new ScenarioResult("login", "POST /login", "anonymous", data, result.Requests, result.RequestsPerSecond, result.P50Ms, result.P95Ms,
            result.P99Ms, result.Errors, peak / 1048576.0, cpu.TotalMilliseconds / Math.Max(1, result.Requests), "wrk -c1"));
    }

    /// <summary>
    /// The owner invites a user by e-mail, and that user, signed in, opens the link and accepts: the two requests of the
    /// owner's POST and the invitee's GET + POST, timed together, one round after another. The link is read from the
    /// outbox row the invitation queued (the mail itself is not sent: the job server is off).
    /// </summary>
    /// <summary>
    /// A run leaves its invitees in the inviter's account; the next run on the same file starts from the seeded state
    /// again, or every invitation would be refused as one for a user already there.
    /// </summary>
    private static void ForgetEarlierRounds(string database, Scale scale)
    {
        using var connection = new SqliteConnection($"Data Source={Path.GetFullPath(database)};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        var ids = string.Join(", ", scale.AcceptorIds);
        var emails = string.Join(", ", scale.AcceptorIds.Select(id => $"'{Scale.EmailOf(id)}'"));
        command.CommandText = $"""
            DELETE FROM ClientUsers WHERE ClientId = {scale.InviterClientId} AND UserId IN ({ids});
            DELETE FROM Invitations WHERE ClientId = {scale.InviterClientId} AND lower(Email) IN ({emails});
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The owner's CSV export of the busy account's log (100,000 entries at full scale, the export's limit), downloaded
    /// three times in a row while the app's memory is sampled: the export streams, so memory stays where it was.
    /// </summary>
    private static async Task<ScenarioResult> MeasureExportAsync(AppProcess app, Visitors visitors, string data, TextWriter log)
    {
        const int downloads = 3;
        var before = app.ResidentBytes();
        var cpuBefore = app.CpuTime();
        var latencies = new List<double>();
        long rows = 0;
        await using (var memory = new MemorySampler(app, TimeSpan.FromMilliseconds(50)))
        {
            for (var i = 0; i < downloads; i++)
            {
                var watch = Stopwatch.StartNew();
                var (status, lines) = await visitors.Owner.CountLinesAsync("/account/activity?handler=Csv");
                Expect(status == HttpStatusCode.OK, "the CSV export", status, $"{lines} lines");
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                rows = lines - 1;
            }

            var cpu = app.CpuTime() - cpuBefore;
            latencies.Sort();
            var result = new ScenarioResult($"csv export ({rows:N0} rows)", "GET /account/activity?handler=Csv", "export", data, downloads,
                downloads / (latencies.Sum() / 1000), Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99), 0,
                memory.Peak / 1048576.0, cpu.TotalMilliseconds / downloads, "HttpClient, sequential downloads")
            {
                MemoryBeforeMb = before / 1048576.0,
            };
            return Log(log, result);
        }
    }

    private static async Task<ScenarioResult> MeasureInvitationsAsync(AppProcess app, RunOptions options, string data, TextWriter log)
    {
        var scale = options.Scale;
        ForgetEarlierRounds(options.Database, scale);
        using var inviter = new Visitor(app.BaseUri);
        await inviter.SignInAsync(Scale.EmailOf(scale.InviterClientId), Scale.Password);
        var acceptors = new List<(string Email, Visitor Visitor)>();
        try
        {
            foreach (var id in scale.AcceptorIds)
            {
                var visitor = new Visitor(app.BaseUri);
                acceptors.Add((Scale.EmailOf(id), visitor));
                await visitor.SignInAsync(Scale.EmailOf(id), Scale.Password);
            }

            var inviteToken = await inviter.TokenAsync("/account/users/invite");
            var latencies = new List<double>();
            var cpuBefore = app.CpuTime();
            await using var memory = new MemorySampler(app, TimeSpan.FromMilliseconds(100));
            await using var outbox = new SqliteConnection($"Data Source={Path.GetFullPath(options.Database)};Mode=ReadOnly;Pooling=False");
            outbox.Open();
            foreach (var (email, acceptor) in acceptors)
            {
                var watch = Stopwatch.StartNew();
                var (status, body, _) = await inviter.PostAsync("/account/users/invite", new Dictionary<string, string>
                {
                    ["Input.Email"] = email, ["Input.AllPermissions"] = "true", ["__RequestVerificationToken"] = inviteToken,
                });
                Expect(status == HttpStatusCode.Redirect, "the invitation", status, body);
                var invited = watch.Elapsed;

                var link = InvitationLinkFor(outbox, email);
                watch.Restart();
                var (pageStatus, page, _) = await acceptor.GetAsync(link);
                Expect(pageStatus == HttpStatusCode.OK, "the invitation page", pageStatus, page);
                var (acceptStatus, accepted, _) = await acceptor.PostAsync(link + "?handler=Accept", [new("__RequestVerificationToken", Visitor.TokenIn(page))]);
                Expect(acceptStatus == HttpStatusCode.Redirect, "accepting", acceptStatus, accepted);
                latencies.Add((invited + watch.Elapsed).TotalMilliseconds);
            }

            var cpu = app.CpuTime() - cpuBefore;
            latencies.Sort();
            var total = latencies.Sum() / 1000;
            return Log(log, new ScenarioResult("invite and accept", "POST invite, GET + POST /invite/{token}", "client", data, latencies.Count,
                latencies.Count / total, Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99), 0, memory.Peak / 1048576.0,
                cpu.TotalMilliseconds / Math.Max(1, latencies.Count), "HttpClient, sequential rounds"));
        }
        finally
        {
            foreach (var (_, visitor) in acceptors)
            {
                visitor.Dispose();
            }
        }
    }

    private static void Expect(bool condition, string what, HttpStatusCode status, string body)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{what} answered {(int)status}: {Visitor.Excerpt(body)}");
        }
    }

    private static string InvitationLinkFor(SqliteConnection outbox, string email)
    {
        using var command = outbox.CreateCommand();
        command.CommandText = "SELECT \"TextBody\" FROM \"EmailMessages\" WHERE \"To\" LIKE '%' || $email || '%' ORDER BY \"Id\" DESC LIMIT 1";
        command.Parameters.AddWithValue("$email", email);
        var text = command.ExecuteScalar() as string ?? throw new InvalidOperationException($"No invitation was queued for {email}.");
        return InvitationPath().Match(text) is { Success: true } match ? match.Value : throw new InvalidOperationException("The invitation has no link: " + text);
    }

    /// <summary>The dashboard under load for the soak time: does resident memory keep growing?</summary>
    private static async Task<SoakResult> SoakAsync(AppProcess app, Visitors visitors, RunOptions options, TextWriter log)
    {
        var cookie = visitors.Owner.CookieHeader("/dashboard");
        await using var memory = new MemorySampler(app, TimeSpan.FromMilliseconds(250));
        var result = await Wrk.RunAsync(new Uri(app.BaseUri, "/dashboard"), options.Soak, 2, 50, cookie);
        var window = TimeSpan.FromSeconds(Math.Max(5, options.Soak.TotalSeconds / 8));
        var first = memory.MeanBetween(window, window * 2);
        var last = memory.MeanBetween(options.Soak - window, options.Soak);
        var soak = new SoakResult(options.Soak.TotalSeconds, result.RequestsPerSecond, first / 1048576.0, last / 1048576.0, memory.Peak / 1048576.0);
        log.WriteLine($"  soak: {soak.Seconds:F0} s at {soak.RequestsPerSecond:F0} req/s, memory {soak.EarlyMb:F0} MB → {soak.LateMb:F0} MB (peak {soak.PeakMb:F0} MB)");
        return soak;
    }

    private static ScenarioResult Log(TextWriter log, ScenarioResult r)
    {
        log.WriteLine($"  {r.Name,-28} {r.RequestsPerSecond,9:F0} req/s  p50 {r.P50Ms,7:F2} ms  p95 {r.P95Ms,7:F2} ms  p99 {r.P99Ms,7:F2} ms  " +
                      $"{r.PeakMemoryMb,5:F0} MB  {r.CpuMsPerRequest,6:F2} ms CPU/req  errors {r.Errors}");
        return r;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The median of one verification of a stored password hash, at the iteration count the app uses.</summary>
    private static double MeasureHashVerification(TextWriter log)
    {
        var hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordHashIterations }));
        var user = new User();
        var hash = hasher.HashPassword(user, Scale.Password);
        var times = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            if (hasher.VerifyHashedPassword(user, hash, Scale.Password) == PasswordVerificationResult.Failed)
            {
                throw new InvalidOperationException("The hash does not verify.");
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return Percentile(times, 50);
    }

    [GeneratedRegex(@"/invite/[A-Za-z0-9_\-]+")]
    private static partial Regex InvitationPath();
}

public sealed record SoakResult(double Seconds, double RequestsPerSecond, double EarlyMb, double LateMb, double PeakMb)
{
    public double Growth => EarlyMb == 0 ? 0 : LateMb / EarlyMb - 1;
}
