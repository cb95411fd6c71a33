using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Portal.Browser.Infrastructure;

/// <summary>
/// One person's browser: a context with its own cookies, whose every page records script errors, console errors
/// (failed loads among them), responses of 400 and above, Content-Security-Policy violations and controls without an
/// accessible name. Every document is also scanned as soon as it is parsed: axe-core's WCAG 2.2 AA rules (zero
/// violations allowed) and its width against the window (no sideways scrolling, at desktop or phone size), and the
/// visitor cannot leave a document before its scan has finished, so every page a journey visits is checked by
/// construction. A refusal the journey provokes on purpose is declared for its one navigation with
/// <see cref="ExpectStatusAsync"/>. A journey ends with <see cref="AssertNoProblemsAsync"/>; disposing saves a
/// screenshot of the last page, also when the journey failed half-way.
/// </summary>
public sealed class Visitor : IAsyncDisposable
{
    // Runs in every document before its own scripts. Chromium reports CSP violations as console errors; the listener
    // also catches any it words differently. The control check is a floor, not an audit: every field, button and link
    // must have a name a screen reader can announce (a label, aria-label(ledby), text or title).
    private const string PageChecks = """
        document.addEventListener('securitypolicyviolation', e =>
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
        document.addEventListener('DOMContentLoaded', () => {
            const named = el =>
                (el.labels && el.labels.length > 0) ||
                (el.getAttribute('aria-label') || '').trim() ||
                (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => (document.getElementById(id)?.textContent || '').trim()) ||
                (el.matches('button, a') && el.textContent.trim()) ||
                (el.matches('input[type=submit], input[type=button]') && el.value.trim()) ||
                (el.getAttribute('title') || '').trim();
            for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')) {
                if (!named(el)) console.error(`Control without an accessible name: ${el.outerHTML.slice(0, 160)}`);
            }
        });
        """;

    // The scan, run by each top-level portal document once parsed (the stylesheets are loaded by then: the scripts at
    // the end of the body wait for them). axe-core is the copy bundled with Deque.AxeCore.Playwright; its WCAG 2.0,
    // 2.1 and 2.2 A and AA rules run. The page reports the start and the result through an exposed function; a
    // navigation away waits for the result (see OpenAsync), because Playwright cannot evaluate in a document whose
    // replacement is on its way. For the same reason the page never waits for the function's answer (Playwright
    // delivers it by evaluating in the page): each call carries the document's id instead.
    private const string Scan = """
        if (window.top === window && location.protocol.startsWith('http')) {
            document.addEventListener('DOMContentLoaded', async () => {
                const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
                window.__portalScan(`start:${id}`);
                const root = document.documentElement;
                const report = { id, url: location.href, width: root.scrollWidth, window: root.clientWidth, violations: [] };
                try {
                    const result = await axe.run(document, {
                        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                        resultTypes: ['violations'],
                    });
                    report.violations = result.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 4).map(n => `${n.target.join(' ')}: ${n.html.slice(0, 160)} -- ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 240)}`)
                            .concat(v.nodes.length > 4 ? [`and ${v.nodes.length - 4} more`] : []),
                    }));
                } catch (e) {
                    report.error = String(e);
                }
                window.__portalScan(JSON.stringify(report));
            });
        }
        """;

    /// <summary>The size of a phone (an iPhone 12 to 15) at which every page must fit without sideways scrolling.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    private static readonly string AxeSource = new BundledAxeScriptProvider().GetScript();

    private readonly IBrowserContext _context;
    private readonly string _screenshot;
    private readonly Recorder _recorder;

    private Visitor(IBrowserContext context, IPage page, string screenshot, Recorder recorder)
    {
        _context = context;
        Page = page;
        _screenshot = screenshot;
        _recorder = recorder;
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems => _recorder.Problems;

    /// <summary>True when the visitor's window is phone-sized (<see cref="Phone"/>): menus start collapsed.</summary>
    public bool IsPhone => Page.ViewportSize?.Width <= Phone.Width;

    /// <summary>The time zone every visitor's browser is in.</summary>
    public const string BrowserZone = "Europe/London";

    public static async Task<Visitor> OpenAsync(IBrowser browser, string baseUrl, string screenshot, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = viewport ?? Desktop,
            Locale = "en-GB",
            // A browser in London, so that registration's offer of the browser's own time zone is seen.
            TimezoneId = BrowserZone,
        });
        // Generous: a click that leaves a page waits for that page's scan, and this machine's two cores are shared.
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(PageChecks);
        await context.AddInitScriptAsync(AxeSource);
        await context.AddInitScriptAsync(Scan);
        var recorder = new Recorder();
        context.Page += (_, page) => recorder.Watch(page);
        await context.ExposeBindingAsync("__portalScan", (BindingSource source, string message) => recorder.OnScan(source.Page, message));

        // A document's scan finishes before the visitor leaves it (a link, a submit, a reload, a new address).
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.IsNavigationRequest && route.Request.Frame.ParentFrame is null)
            {
                await recorder.ScanFinishedAsync(route.Request.Frame.Page);
            }

            await route.FallbackAsync();
        });
        var page = await context.NewPageAsync();
        return new Visitor(context, page, screenshot, recorder);
    }

    /// <summary>
    /// Runs <paramref name="navigation"/> expecting the page at <paramref name="path"/> to answer
    /// <paramref name="status"/> (a refusal the journey provokes on purpose, such as a 403 page). Exactly that one
    /// document response, and the console line Chromium prints for it, are not problems; any other response of 400
    /// and above still is, and so is a navigation that does not bring the refusal.
    /// </summary>
    public async Task ExpectStatusAsync(int status, string path, Func<Task> navigation)
    {
        var expected = _recorder.Expect(status, path);
        try
        {
            await navigation();
        }
        finally
        {
            _recorder.Withdraw(expected);
        }

        Assert.True(expected.Seen, $"Expected {path} to answer {status}, but no such page response came. The browser reported:\n" + string.Join("\n", Problems));
    }

    /// <summary>Waits until the current document's scan has reported (it starts once the document is parsed).</summary>
    public Task ScanFinishedAsync() => _recorder.ScanFinishedAsync(Page);

    public async Task AssertNoProblemsAsync()
    {
        await Page.WaitForLoadStateAsync(LoadState.Load);
        await _recorder.ScanFinishedAsync(Page);
        var problems = Problems;
        Assert.True(problems.Count == 0, "The browser reported:\n" + string.Join("\n", problems));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Page.ScreenshotAsync(new() { Path = _screenshot, FullPage = true });
        }
        catch (PlaywrightException)
        {
        }

        await _context.CloseAsync();
    }

    private sealed class ExpectedStatus(int status, string path)
    {
        public int Status { get; } = status;
        public string Path { get; } = path;
        public bool Seen { get; set; }
    }

    /// <summary>What the pages of one context report, less the refusals a journey declared.</summary>
    private sealed class Recorder
    {
        private readonly Lock _gate = new();
        private readonly List<string> _problems = [];
        private readonly List<ExpectedStatus> _expected = [];

        // Chromium echoes a refused document in the console ("Failed to load resource: ... status of 403"); the echo
        // of a declared refusal is excused once per declared response.
        private readonly List<(int Status, string Url)> _excusedEchoes = [];

        public IReadOnlyList<string> Problems
        {
            get
            {
                lock (_gate)
                {
                    return [.. _problems];
                }
            }
        }

        public ExpectedStatus Expect(int status, string path)
        {
            var expected = new ExpectedStatus(status, path);
            lock (_gate)
            {
                _expected.Add(expected);
            }

            return expected;
        }

        public void Withdraw(ExpectedStatus expected)
        {
            lock (_gate)
            {
                _expected.Remove(expected);
            }
        }

        // Per page: the scan of its current document (by the document's id), from its start to its report; and the ids
        // of the documents whose report came, in case a report overtakes its start.
        private readonly Dictionary<IPage, (string Id, TaskCompletionSource Done)> _scans = [];
        private readonly HashSet<string> _reported = [];

        public void OnScan(IPage page, string message)
        {
            if (message.StartsWith("start:", StringComparison.Ordinal))
            {
                var started = message["start:".Length..];
                lock (_gate)
                {
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (_reported.Contains(started))
                    {
                        done.TrySetResult();
                    }

                    _scans[page] = (started, done);
                }

                return;
            }

            string id;
            using (var report = JsonDocument.Parse(message))
            {
                var root = report.RootElement;
                id = root.GetProperty("id").GetString()!;
                var url = root.GetProperty("url").GetString();
                var width = root.GetProperty("width").GetInt32();
                var window = root.GetProperty("window").GetInt32();
                if (width > window)
                {
                    Add($"{url}: the page is {width} px wide in a {window} px window (it scrolls sideways)");
                }

                if (root.TryGetProperty("error", out var error))
                {
                    Add($"{url}: the accessibility scan failed: {error.GetString()}");
                }

                foreach (var violation in root.GetProperty("violations").EnumerateArray())
                {
                    var nodes = violation.GetProperty("nodes").EnumerateArray().Select(n => "    " + n.GetString());
                    Add($"{url}: accessibility: {violation.GetProperty("id").GetString()} ({violation.GetProperty("impact").GetString()}): "
                        + $"{violation.GetProperty("help").GetString()}\n{string.Join("\n", nodes)}");
                }
            }

            lock (_gate)
            {
                _reported.Add(id);
                if (_scans.TryGetValue(page, out var scan) && scan.Id == id)
                {
                    scan.Done.TrySetResult();
                }
            }
        }

        /// <summary>Waits for the scan of the page's current document if one has started and not finished.</summary>
        public async Task ScanFinishedAsync(IPage page)
        {
            Task? scan;
            lock (_gate)
            {
                scan = _scans.TryGetValue(page, out var current) ? current.Done.Task : null;
            }

            if (scan is null)
            {
                return;
            }

            try
            {
                await scan.WaitAsync(TimeSpan.FromSeconds(55));
            }
            catch (TimeoutException)
            {
                Add($"{page.Url}: the accessibility scan did not finish within 55 seconds");
            }
        }

        public void Watch(IPage page)
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error" && !IsExcusedEcho(message))
                {
                    Add($"{page.Url}: console error: {message.Text} ({message.Location})");
                }
            };
            page.Response += (_, response) =>
            {
                if (response.Status >= 400 && !IsExpected(response))
                {
                    Add($"{page.Url}: {response.Request.Method} {response.Url} answered {response.Status}");
                }
            };
            page.PageError += (_, error) => Add($"{page.Url}: script error: {error}");
        }

        private void Add(string problem)
        {
            lock (_gate)
            {
                _problems.Add(problem);
            }
        }

        private bool IsExpected(IResponse response)
        {
            if (!response.Request.IsNavigationRequest)
            {
                return false;
            }

            var uri = new Uri(response.Url);
            lock (_gate)
            {
                var expected = _expected.FirstOrDefault(e => !e.Seen && e.Status == response.Status
                    && e.Path == (e.Path.Contains('?') ? uri.PathAndQuery : uri.AbsolutePath));
                if (expected is null)
                {
                    return false;
                }

                expected.Seen = true;
                _excusedEchoes.Add((response.Status, response.Url));
                return true;
            }
        }

        private bool IsExcusedEcho(IConsoleMessage message)
        {
            lock (_gate)
            {
                var index = _excusedEchoes.FindIndex(e =>
                    message.Text.StartsWith($"Failed to load resource: the server responded with a status of {e.Status} ", StringComparison.Ordinal)
                    && message.Location.StartsWith(e.Url + ":", StringComparison.Ordinal));
                if (index < 0)
                {
                    return false;
                }

                _excusedEchoes.RemoveAt(index);
                return true;
            }
        }
    }
}
