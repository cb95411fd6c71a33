using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>The SQLite targets held again on each PostgreSQL setup: the same framework floor, and that setup's own small copy.</summary>
public sealed partial class Report
{
    private void CheckPostgresTargets()
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var setup in new[] { "PostgreSQL, 1 instance", "PostgreSQL, 2 instances" })
        {
            var large = $"{setup}, {Scale.Activity:N0} activity rows";
            var small = $"{setup}, {Scale.SmallActivity:N0} activity rows";
            // The same ratio targets as on SQLite, against the same framework floor (measured once, at the start of the run).
            var pages = Scenarios.Where(s => s.Data == large && s.Group is "client" or "activity" or "admin"
                                             && !s.Request.Contains("text=", StringComparison.Ordinal));
            foreach (var s in pages)
            {
                var admin = s.Request.StartsWith("GET /admin", StringComparison.Ordinal);
                var least = admin ? 0.2 : s.Request switch { "GET /healthz" => 0.6, "GET /dashboard" => 0.35, _ => 0.25 };
                var target = $"{setup}: {s.Request[4..]} ≥ {F(least)} × framework floor req/s" + (admin ? "" : ", p99 ≤ 10 × framework floor p99");
                Targets.Add(s.Requests == 0
                    ? new(target, "no request completed", false)
                    : new(target, $"{F(s.RpsRatio)} ×" + (admin ? "" : $", p99 {F(s.P99Ratio)} ×"), s.RpsRatio >= least && (admin || s.P99Ratio <= 10)));
            }

            var searches = Scenarios.Where(s => s.Data == large && s.Request.Contains("text=", StringComparison.Ordinal)).ToList();
            foreach (var s in searches)
            {
                Targets.Add(new($"{setup}: {s.Name}: p95 ≤ 50 ms at {Scale.Activity:N0} rows ({Driver.SearchConnections} connections)",
                    s.Requests == 0 ? "no request completed" : $"{F(s.P95Ms)} ms", s.Requests > 0 && s.P95Ms <= 50));
            }

            foreach (var name in new[] { "account activity", "admin activity by client" }.Concat(searches.Select(s => s.Name)))
            {
                var big = Scenarios.FirstOrDefault(s => s.Name == name && s.Data == large && s.Requests > 0);
                var little = Scenarios.FirstOrDefault(s => s.Name == name && s.Data == small && s.Requests > 0);
                if (big is not null && little is not null)
                {
                    var ratio = big.P95Ms / little.P95Ms;
                    Targets.Add(new($"{setup}: {name}: p95 at {Scale.Activity:N0} rows ≤ 1.5 × p95 at {Scale.SmallActivity:N0}",
                        $"{F(ratio)} × ({F(big.P95Ms)} ms vs {F(little.P95Ms)} ms)", ratio <= 1.5));
                }
            }
        }
    }
}
