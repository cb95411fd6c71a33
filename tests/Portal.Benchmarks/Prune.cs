using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;
using Portal.Features.Settings;
using Portal.Features.Retention;
using Portal.Features.Identity;

namespace Portal.Benchmarks;

/// <summary>
/// The data-retention run at scale, in this process: <c>total</c> clients of which every n-th is Inactive or Closed and
/// dormant for 30 months (half of those owners also work for an Active client, so the users toggle keeps them), then
/// the job with "after 12 months" and the users toggle on. Reports clients deleted per second and the process's memory,
/// sampled every two seconds, which must stay flat across batches.
/// </summary>
public static class Prune
{
    public static async Task<string> RunAsync(int total, int qualifying, string database, TextWriter log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["ConnectionStrings:Portal"] = $"Data Source={database}";
        builder.Configuration["Jobs:RunServer"] = "false";
        builder.Configuration["Logging:LogLevel:Default"] = "Error";
        builder.Services.AddPortalData(builder.Configuration).AddPortalAuth(builder.Configuration).AddPortalWeb(builder.Configuration)
            .AddPortalEmail(builder.Configuration).AddPortalJobs(builder.Configuration).AddFeatureServices(builder.Configuration);
        await using var app = builder.Build();
        await app.Services.MigrateDatabaseAsync();

        var seeding = Stopwatch.StartNew();
        await SeedAsync(app.Services, total, qualifying);
        log.WriteLine($"Seeded {total} clients ({qualifying} dormant) in {seeding.Elapsed.TotalSeconds:0.0} s");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var settings = new SystemSettings(db);
            await settings.SetAsync(SystemSettings.PruneInactiveAfterMonthsKey, "12");
            await settings.SetAsync(SystemSettings.PruneDeletesUsersKey, "true");
            await db.SaveChangesAsync();
        }

        var previewClock = Stopwatch.StartNew();
        PruneInactive.Preview preview;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            preview = (await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new PruneInactive.Query(null))).Preview;
        }

        var previewSeconds = previewClock.Elapsed.TotalSeconds;
        var process = Process.GetCurrentProcess();
        var samples = new List<(double Seconds, long WorkingSet, long Managed)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                samples.Add((clock.Elapsed.TotalSeconds, process.WorkingSet64, GC.GetTotalMemory(false)));
                try
                {
                    await Task.Delay(2000, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        PruneRun run;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            run = (await scope.ServiceProvider.GetRequiredService<PruneInactive.Job>().RunAsync(CancellationToken.None))!;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        process.Refresh();

        const double MiB = 1024 * 1024;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Data-retention run: {qualifying:N0} dormant clients among {total:N0} (SQLite)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- preview: {preview.ClientCount:N0} clients, {preview.UserCount:N0} users, in {previewSeconds:0.00} s");
        report.AppendLine(CultureInfo.InvariantCulture, $"- run: {run.ClientsDeleted:N0} clients and {run.UsersDeleted:N0} users deleted, {run.ClientsSkipped} skipped, in {seconds:0.0} s: **{run.ClientsDeleted / seconds:0} clients/s**");
        report.AppendLine(CultureInfo.InvariantCulture, $"- peak working set of the process: **{process.PeakWorkingSet64 / MiB:0} MiB** (seeding included)");
        report.AppendLine(CultureInfo.InvariantCulture, $"- during the run: working set {samples.Min(s => s.WorkingSet) / MiB:0}–{samples.Max(s => s.WorkingSet) / MiB:0} MiB, managed heap {samples.Min(s => s.Managed) / MiB:0}–{samples.Max(s => s.Managed) / MiB:0} MiB over {samples.Count} samples");
        report.AppendLine(CultureInfo.InvariantCulture, $"- processors: {Environment.ProcessorCount}, load average at the end: {LoadAverage()}");
        return report.ToString();
    }

    private static async Task SeedAsync(IServiceProvider services, int total, int qualifying)
    {
        var now = DateTimeOffset.UtcNow;
        var every = Math.Max(1, total / qualifying);
        const int Chunk = 2000;
        for (var start = 0; start < total; start += Chunk)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            for (var i = start; i < Math.Min(total, start + Chunk); i++)
            {
                var email = $"prune{i}@bench.test";
                var dormant = i % every == 0;
                var created = !dormant && i % 7 == 0 ? now.AddDays(-20) : now.AddMonths(-30);
                var user = new User
                {
                    UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                    SecurityStamp = Guid.NewGuid().ToString("N"), FirstName = "Bench", LastName = $"Client{i}", CreatedAt = created, LastLoginAt = created,
                };
                var client = Client.Open(new ClientProfile("Bench", $"Client{i}", $"Company {i}", email, "1 Road", "Town", "", "12345", "Country", "+1 555 0100"), user, created);
                if (dormant)
                {
                    client.ChangeStatus(i % 2 == 0 ? ClientStatus.Inactive : ClientStatus.Closed, created);
                }
                else if (i % 7 == 0)
                {
                    // Inactive but created recently: the rule keeps it.
                    client.ChangeStatus(ClientStatus.Inactive, created);
                }

                db.Clients.Add(client);
            }

            await db.SaveChangesAsync();
        }

        await using var last = services.CreateAsyncScope();
        await last.ServiceProvider.GetRequiredService<PortalDbContext>().Database.ExecuteSqlRawAsync(
            "INSERT INTO ClientUsers (ClientId, UserId, Permissions, Version) SELECT c.Id + 1, c.OwnerUserId, 'tickets', 0 FROM Clients c "
            + "WHERE c.Status <> 'Active' AND c.Id % 20 = 1 AND c.Id + 1 <= (SELECT MAX(Id) FROM Clients)");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
