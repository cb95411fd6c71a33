using Microsoft.Playwright;

namespace Portal.Browser.Infrastructure;

/// <summary>The journeys' "no problems" assertion is only worth something if the recorder sees problems.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VisitorTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_visitor_records_csp_violations_script_errors_failed_loads_and_unnamed_controls()
    {
        await using var visitor = await browser.NewVisitorAsync("recorder-probe");
        var page = visitor.Page;
        await page.RouteAsync("**/recorder-probe", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Headers = new Dictionary<string, string> { ["Content-Security-Policy"] = "script-src 'self'" },
            Body = """
                <!DOCTYPE html><html lang="en"><head><title>Probe</title></head>
                <body><input id="unnamed"><img src="/no-such-image.png" alt="missing"><script>document.title = 'inline';</script></body></html>
                """,
        }));
        await page.RouteAsync("**/no-such-image.png", route => route.FulfillAsync(new() { Status = 404 }));

        await page.GotoAsync("/recorder-probe");
        await page.EvaluateAsync("() => setTimeout(() => { throw new Error('probe failure'); })");
        await page.WaitForTimeoutAsync(200);

        var problems = string.Join("\n", visitor.Problems);
        Assert.Contains("CSP violation: script-src", problems);
        Assert.Contains("probe failure", problems);
        Assert.Contains("/no-such-image.png answered 404", problems);
        Assert.Contains("Control without an accessible name: <input id=\"unnamed\">", problems);
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(visitor.AssertNoProblemsAsync);
    }

    [Fact]
    public async Task A_declared_refusal_is_excused_for_its_one_navigation_and_no_other()
    {
        await using var visitor = await browser.NewVisitorAsync("refusal-probe");
        var page = visitor.Page;
        await page.RouteAsync("**/refusal-probe", route => route.FulfillAsync(new()
        {
            Status = 403,
            ContentType = "text/html",
            Body = """<!DOCTYPE html><html lang="en"><head><title>Refused</title></head><body><h1>Refused</h1></body></html>""",
        }));

        await visitor.ExpectStatusAsync(403, "/refusal-probe", () => page.GotoAsync("/refusal-probe"));
        await visitor.AssertNoProblemsAsync();

        // The same refusal undeclared is a problem again, and a declaration the navigation does not meet fails.
        await page.ReloadAsync();
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => visitor.ExpectStatusAsync(404, "/refusal-probe", () => page.ReloadAsync()));
        await page.WaitForTimeoutAsync(200);

        var problems = visitor.Problems;
        Assert.Equal(2, problems.Count(p => p.EndsWith("/refusal-probe answered 403", StringComparison.Ordinal)));
        Assert.Equal(2, problems.Count(p => p.Contains("console error: Failed to load resource: the server responded with a status of 403", StringComparison.Ordinal)));
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(visitor.AssertNoProblemsAsync);
    }

    [Fact]
    public async Task The_visitor_records_accessibility_violations_and_sideways_scrolling_of_the_pages_it_leaves()
    {
        await using var visitor = await browser.NewVisitorAsync("scan-probe");
        var page = visitor.Page;
        await page.RouteAsync("**/scan-probe", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = """
                <!DOCTYPE html><html lang="en"><head><title>Scan probe</title>
                <style>p { color: #aaa; background: #fff; } div { width: 2000px; }</style></head>
                <body><main><h1>Probe</h1><p>Pale words</p><div>Wide</div><a href="/scan-probe-next">Next</a></main></body></html>
                """,
        }));
        await page.RouteAsync("**/scan-probe-next", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = """<!DOCTYPE html><html lang="en"><head><title>Next</title></head><body><main><h1>Next</h1></main></body></html>""",
        }));

        // A page route answers before the visitor's own (which holds a navigation until the scan is done): wait here.
        await page.GotoAsync("/scan-probe");
        await visitor.ScanFinishedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await visitor.AssertNoProblemsAsync().ContinueWith(_ => { });

        var problems = string.Join("\n", visitor.Problems);
        Assert.Contains("/scan-probe: accessibility: color-contrast", problems);
        Assert.Contains("/scan-probe: the page is 2", problems);
        Assert.DoesNotContain("/scan-probe-next:", problems);
    }
}
