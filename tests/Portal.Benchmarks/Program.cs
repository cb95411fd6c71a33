using System.Globalization;
using Portal.Benchmarks;

// dotnet run -c Release --project tests/Portal.Benchmarks -- [seed|run] [--short] [--scale F] [--db PATH] [--duration S] [--warmup S]
//                                                           [--soak S] [--only NAME]... [--reseed]
// seed: writes the data set only. run (the default): seeds when the file is missing or of another scale, then measures.
// prune: the data-retention job over its own data set (--clients, --dormant), written to results/prune.md.
// writes: the write scenarios (registrations, orders, ticket replies at 50 connections) on SQLite and PostgreSQL, results/writes.md.
// inbound-mail: a 25 MB message through the import (memory, parse time, write-lock time), written to results/inbound-mail.md.
var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
bool Flag(string name) => args.Contains(name);
double Seconds(string name, double fallback) => Option(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

var repository = FindRepository();
var isShort = Flag("--short");
var scale = Option("--scale") is { } factor ? Scale.Of(double.Parse(factor, CultureInfo.InvariantCulture)) : isShort ? Scale.Short : Scale.Full;
var database = Option("--db") ?? Path.Combine(repository, "tests", "Portal.Benchmarks", "data", $"portal-{scale.Name}.db");
var log = Console.Out;

if (command == "prune")
{
    // dotnet run -c Release --project tests/Portal.Benchmarks -- prune [--clients N] [--dormant N]
    var pruneReport = await Prune.RunAsync(
        int.Parse(Option("--clients") ?? "100000", CultureInfo.InvariantCulture), int.Parse(Option("--dormant") ?? "10000", CultureInfo.InvariantCulture),
        Path.Combine(repository, "tests", "Portal.Benchmarks", "data", "prune.db"), log);
    var pruneResults = Path.Combine(repository, "tests", "Portal.Benchmarks", "results");
    Directory.CreateDirectory(pruneResults);
    await File.WriteAllTextAsync(Path.Combine(pruneResults, "prune.md"), pruneReport);
    log.WriteLine(pruneReport);
    return 0;
}

if (command == "writes")
{
    // dotnet run -c Release --project tests/Portal.Benchmarks -- writes [--short] [--accounts N] [--duration S] [--warmup S]
    // PostgreSQL setups need PORTAL_BENCH_POSTGRES, a server's connection string (scripts/benchmark.sh starts one).
    var writeOptions = new WriteOptions(
        repository, TimeSpan.FromSeconds(Seconds("--duration", isShort ? 3 : 10)), TimeSpan.FromSeconds(Seconds("--warmup", isShort ? 1 : 3)),
        int.Parse(Option("--accounts") ?? (isShort ? "40" : "100"), CultureInfo.InvariantCulture),
        Environment.GetEnvironmentVariable("PORTAL_BENCH_POSTGRES") is { Length: > 0 } server ? server : null, isShort);
    var writeReport = await Writes.RunAsync(writeOptions, log);
    var writeResults = Path.Combine(repository, "tests", "Portal.Benchmarks", "results");
    Directory.CreateDirectory(writeResults);
    var writeName = isShort ? "writes-short" : "writes";
    var writeInvocation = "bash scripts/benchmark.sh " + string.Join(' ', args);
    await File.WriteAllTextAsync(Path.Combine(writeResults, $"{writeName}.json"), writeReport.ToJson());
    await File.WriteAllTextAsync(Path.Combine(writeResults, $"{writeName}.md"), writeReport.ToMarkdown(writeInvocation));
    log.WriteLine();
    log.WriteLine(writeReport.ToMarkdown(writeInvocation));
    log.WriteLine($"Written to {Path.Combine(writeResults, writeName)}.json and .md");
    return 0;
}

if (command == "inbound-mail")
{
    // dotnet run -c Release --project tests/Portal.Benchmarks -- inbound-mail: a 25 MB message through the import.
    var inboundReport = await InboundMail.RunAsync(Path.Combine(repository, "tests", "Portal.Benchmarks", "data", "inbound-mail.db"), log);
    var inboundResults = Path.Combine(repository, "tests", "Portal.Benchmarks", "results");
    Directory.CreateDirectory(inboundResults);
    await File.WriteAllTextAsync(Path.Combine(inboundResults, "inbound-mail.md"), inboundReport);
    log.WriteLine(inboundReport);
    return 0;
}

if (command == "seed" || Flag("--reseed") || !Seeder.IsSeeded(scale, database))
{
    log.WriteLine($"Seeding scale {scale.Name} into {database}...");
    await Seeder.SeedAsync(scale, database, log);
}

// The same data set on PostgreSQL when PORTAL_BENCH_POSTGRES names a server (scripts/benchmark.sh starts one for a run).
if ((command is "seed" or "run") && PostgresSeeder.Server is { } postgres && (command == "seed" || Flag("--reseed") || !await PostgresSeeder.IsSeededAsync(postgres, scale)))
{
    await PostgresSeeder.SeedAsync(postgres, scale, log);
}

if (command == "seed")
{
    return 0;
}

if (command != "run")
{
    Console.Error.WriteLine($"Unknown command {command}: use seed, run, prune or writes.");
    return 2;
}

var options = new RunOptions(
    scale,
    database,
    repository,
    TimeSpan.FromSeconds(Seconds("--duration", isShort ? 3 : 10)),
    TimeSpan.FromSeconds(Seconds("--warmup", isShort ? 1 : 3)),
    TimeSpan.FromSeconds(Seconds("--soak", isShort ? 0 : 120)),
    args.Select((a, i) => (a, i)).Where(x => x.a == "--only" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToHashSet());

var report = await Driver.RunAsync(options, log);
var results = Path.Combine(repository, "tests", "Portal.Benchmarks", "results");
Directory.CreateDirectory(results);
var name = (isShort ? "short" : scale == Scale.Full ? "full" : scale.Name)
    + (options.Only.Count > 0 ? "-partial" : ""); // a run of some scenarios never replaces the committed results of all

var invocation = "bash scripts/benchmark.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
await File.WriteAllTextAsync(Path.Combine(results, $"{name}.json"), report.ToJson());
await File.WriteAllTextAsync(Path.Combine(results, $"{name}.md"), report.ToMarkdown(invocation));
log.WriteLine();
log.WriteLine(report.ToMarkdown(invocation));
log.WriteLine($"Written to {Path.Combine(results, name)}.json and .md");
return 0;

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository: Portal.sln was not found above " + AppContext.BaseDirectory);
}
