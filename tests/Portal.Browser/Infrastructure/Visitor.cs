using Microsoft.Playwright;

namespace Portal.Browser.Infrastructure;

/// <summary>
/// One person's browser: a context with its own cookies, whose every page records script errors, console errors
/// (failed loads among them), responses of 400 and above, Content-Security-Policy violations and controls without an
/// accessible name. A refusal the journey provokes on purpose is declared for its one navigation with
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

    public static async Task<Visitor> OpenAsync(IBrowser browser, string baseUrl, string screenshot)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(10_000);
        await context.AddInitScriptAsync(PageChecks);
        var recorder = new Recorder();
        context.Page += (_, page) => recorder.Watch(page);
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

    public async Task AssertNoProblemsAsync()
    {
        await Page.WaitForLoadStateAsync(LoadState.Load);
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
