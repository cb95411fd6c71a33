using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>The SQLite targets held again on each PostgreSQL setup, against that setup's own floor and small copy.</summary>
public sealed partial class Report
{
    private void CheckPostgresTargets()
    {
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var setup in new[] { "PostgreSQL, 1 instance", "PostgreSQL, 2 instances" })
        {
            var large = $"{setup}, {Scale.Activity:N0} activity rows";
            var small = $"{setup}, {Scale.SmallActivity:N0} activity rows";
            var pages = Scenarios.Where(s => s.Data == large && s.Group is "client" or "activity" && !s.Name.StartsWith(Driver.Floor, StringComparison.Ordinal)
                                             && !s.Request.StartsWith("GET /admin", StringComparison.Ordinal)
                                             && !s.Request.Contains("text=", StringComparison.Ordinal));
            foreach (var s in pages)
            {
                Targets.Add(s.Requests == 0
                    ? new($"{setup}: {s.Request[4..]} ≥ 0.25 × floor req/s, p99 ≤ 10 × floor p99", "no request completed", false)
                    : new($"{setup}: {s.Request[4..]} ≥ 0.25 × floor req/s, p99 ≤ 10 × floor p99", $"{F(s.RpsRatio)} ×, p99 {F(s.P99Ratio)} ×", s.RpsRatio >= 0.25 && s.P99Ratio <= 10));
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
