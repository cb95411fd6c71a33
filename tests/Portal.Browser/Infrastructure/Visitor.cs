using Microsoft.Playwright;

namespace Portal.Browser.Infrastructure;

/// <summary>
/// One person's browser: a context with its own cookies, whose every page records script errors, console errors
/// (failed loads among them), responses of 400 and above, Content-Security-Policy violations and controls without an
/// accessible name. A journey ends with <see cref="AssertNoProblemsAsync"/>; disposing saves a screenshot of the last
/// page, also when the journey failed half-way.
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
    private readonly List<string> _problems;

    private Visitor(IBrowserContext context, IPage page, string screenshot, List<string> problems)
    {
        _context = context;
        Page = page;
        _screenshot = screenshot;
        _problems = problems;
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

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
        var problems = new List<string>();
        context.Page += (_, page) => Watch(page, problems);
        var page = await context.NewPageAsync();
        return new Visitor(context, page, screenshot, problems);
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

    private static void Watch(IPage page, List<string> problems)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (problems)
                {
                    problems.Add($"{page.Url}: console error: {message.Text} ({message.Location})");
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (problems)
                {
                    problems.Add($"{page.Url}: {response.Request.Method} {response.Url} answered {response.Status}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add($"{page.Url}: script error: {error}");
            }
        };
    }
}
