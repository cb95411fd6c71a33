using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features;
using Portal.Features.Support;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Web;

namespace Portal.Benchmarks;

/// <summary>
/// A 25 MB inbound message through the import, in this process, on its own SQLite file: how much memory it needs, how
/// long reading it takes, and how long the write lock is held. Two shapes: a short text with an attachment that makes it 25 MB (the
/// usual large mail) and a 25 MB text body. Memory: the working set sampled every 5 ms during each import, and the
/// bytes the import allocated. The lock: the time of the storing step alone (the transaction), and the longest wait of
/// a probe that takes the write lock every 2 ms on its own connection while the whole import runs.
/// </summary>
public static class InboundMail
{
    private const int Runs = 3;

    public static async Task<string> RunAsync(string database, TextWriter log)
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
        builder.Configuration["Mail:Inbound:PerSenderPerHour"] = "1000";
        builder.Services.AddPortalData(builder.Configuration).AddPortalAuth(builder.Configuration).AddPortalWeb(builder.Configuration)
            .AddPortalEmail(builder.Configuration).AddPortalJobs(builder.Configuration).AddFeatureServices(builder.Configuration);
        await using var app = builder.Build();
        await app.Services.MigrateDatabaseAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Departments.Add(Department.Create("Support", "support@bench.example", false));
            await db.SaveChangesAsync();
        }

        var report = new StringBuilder();
        report.AppendLine("# Inbound mail: a 25 MB message");
        report.AppendLine();
        report.AppendLine($"Command: `bash scripts/benchmark.sh inbound-mail`. {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}.");
        report.AppendLine();
        report.AppendLine("| message | size MB | parse ms | store (write lock) ms | longest probe wait ms | working set before MB | peak during MB | allocated MB | stored chars |");
        report.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");

        foreach (var (name, make) in new (string, Func<int, byte[]>)[] { ("24 MB attachment", WithAttachment), ("25 MB text body", WithLongText) })
        {
            for (var run = 1; run <= Runs; run++)
            {
                var raw = make(run);
                var row = await MeasureAsync(app.Services, database, raw);
                var line = $"| {name} (run {run}) | {raw.Length / 1048576.0:0.0} | {row.ParseMs:0} | {row.StoreMs:0.0} | {row.ProbeMaxMs:0.0} | {row.Before / 1048576.0:0} | {row.Peak / 1048576.0:0} | {row.Allocated / 1048576.0:0} | {row.StoredChars:N0} |";
                report.AppendLine(line);
                log.WriteLine(line);
            }
        }

        report.AppendLine();
        report.AppendLine("Parse: reading the message (MIME tree, text of every part, notes) before any transaction. Store: the transactional step alone, " +
            "from BEGIN IMMEDIATE to commit. Probe: the longest any 2 ms write-lock probe on a second connection waited during the whole import (parse and store).");
        return report.ToString();
    }

    private sealed record Row(double ParseMs, double StoreMs, double ProbeMaxMs, long Before, long Peak, long Allocated, int StoredChars);

    private static async Task<Row> MeasureAsync(IServiceProvider services, string database, byte[] raw)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5);
            }
        });
        var probeMax = 0.0;
        var probe = Task.Run(async () =>
        {
            await using var connection = new SqliteConnection($"Data Source={database};Default Timeout=60");
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "UPDATE Departments SET Name = Name WHERE Id = 1";
                    await command.ExecuteNonQueryAsync();
                    await transaction.CommitAsync();
                }

                probeMax = Math.Max(probeMax, clock.Elapsed.TotalMilliseconds);
                await Task.Delay(2);
            }
        });
        await Task.Delay(100);
        probeMax = 0;

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var parseClock = Stopwatch.StartNew();
        var parsed = InboundMessage.Parse(raw);
        var parseMs = parseClock.Elapsed.TotalMilliseconds;
        await using var scope = services.CreateAsyncScope();
        var storeClock = Stopwatch.StartNew();
        var result = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(ImportMail.Store.Of(parsed));
        var storeMs = storeClock.Elapsed.TotalMilliseconds;
        var allocatedMb = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(sampler, probe);
        if (result.Outcome != ImportMail.Outcome.Opened)
        {
            throw new InvalidOperationException($"The message was not imported: {result.Explanation}");
        }

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var stored = db.TicketReplies.Where(r => r.TicketId == result.TicketId).Select(r => r.Message).Single().Length;
        return new Row(parseMs, storeMs, probeMax, before, peak, allocatedMb, stored);
    }

    private static string Headers(string boundaryOrType, int run) =>
        $"From: Big Sender <big{run}@client.example>\r\nTo: support@bench.example\r\nSubject: Large message {run}\r\nMessage-ID: <{Guid.NewGuid():N}@bench.example>\r\n" +
        $"Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: {boundaryOrType}\r\n";

    /// <summary>A short text and 18 MB of random bytes as a base64 attachment: a 25 MB message as it arrives.</summary>
    private static byte[] WithAttachment(int run)
    {
        var text = new StringBuilder(Headers("multipart/mixed; boundary=\"big\"", run) + "\r\n");
        text.Append("--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe full disk image is attached.\r\n");
        text.Append("--big\r\nContent-Type: application/octet-stream; name=\"disk.img\"\r\nContent-Disposition: attachment; filename=\"disk.img\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        text.Append(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18 * 1024 * 1024), Base64FormattingOptions.InsertLineBreaks));
        text.Append("\r\n--big--\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>A plain body of 25 MB of log lines.</summary>
    private static byte[] WithLongText(int run)
    {
        var text = new StringBuilder(Headers("text/plain; charset=utf-8", run) + "\r\n", 26 * 1024 * 1024);
        for (var i = 0; text.Length < 25 * 1024 * 1024; i++)
        {
            text.Append("2026-11-30 10:00:").Append((i % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(" worker ").Append(i).Append(" finished a step of the nightly backup\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
