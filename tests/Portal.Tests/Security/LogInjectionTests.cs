using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Shared;

namespace Portal.Tests.Security;

/// <summary>
/// No input can forge a line in the activity log (which the admin reads and the owner exports as CSV): the forms that
/// write what was typed into a log line refuse control characters, and the log encodes them whatever the caller passes.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class LogInjectionTests(PortalFixture portal)
{
    public static IEnumerable<string> Forgeries => HostileInputTests.Corpus.Where(PlainText.HasUnsafe);

    [Fact]
    public async Task Login_and_reset_emails_with_control_or_bidi_characters_never_reach_the_log_verbatim()
    {
        var before = await portal.WithDbAsync(db => db.ActivityLog.MaxAsync(e => (long?)e.Id)) ?? 0;
        var forgeries = Forgeries.ToList();
        Assert.Contains(forgeries, f => f.Contains("\r\n"));
        foreach (var forgery in forgeries)
        {
            foreach (var (page, fields) in new[]
            {
                ("/login", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" + forgery, ["Input.Password"] = "wrong password here" }),
                ("/admin/login", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" + forgery, ["Input.Password"] = "wrong password here" }),
                ("/password/forgot", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" + forgery }),
            })
            {
                using var visitor = portal.NewBrowser();
                var response = await visitor.SubmitAsync(page, fields);
                SecurityReport.Add(SecurityReport.LoggedInputs);
                Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            }
        }

        var written = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.Id > before).Select(e => e.Description).ToListAsync());
        var forged = written.Where(PlainText.HasUnsafe).ToList();
        SecurityReport.Add(SecurityReport.ForgedLogLines, forged.Count);
        Assert.Empty(forged);
    }

    [Fact]
    public async Task The_activity_log_encodes_control_and_bidi_characters_whatever_the_caller_passes()
    {
        var marker = Guid.NewGuid().ToString("N");
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            var activity = scope.ServiceProvider.GetRequiredService<ActivityWriter>();
            activity.System($"{marker} one\r\n2026-01-01 forged\u2028line \u202Eevil");
            activity.ForUser(null, null, $"{marker} two\n\u0000\u2066");
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        }

        var stored = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.Description.StartsWith(marker)).OrderBy(e => e.Id).Select(e => e.Description).ToListAsync());
        SecurityReport.Add(SecurityReport.LoggedInputs, 2);
        Assert.Equal([$"{marker} one\\u000D\\u000A2026-01-01 forged\\u2028line \\u202Eevil", $"{marker} two\\u000A\\u0000\\u2066"], stored);
    }
}
