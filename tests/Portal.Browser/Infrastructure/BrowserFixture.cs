using Microsoft.Playwright;

namespace Portal.Browser.Infrastructure;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One Portal server and one headless Debian Chromium for the run. Each visitor gets its own browser context (its own
/// cookies), so a journey can have an owner and an invitee, or a client and an admin, side by side.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = "violet harbour engine sketch";

    // The flags that let Debian's Chromium run as root on a machine with a closed network; Playwright adds a fresh
    // empty --user-data-dir itself.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static int _counter;

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private PortalServer? _server;

    public PortalServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>The browser itself, for checks that need no portal page (a mail's HTML).</summary>
    public IBrowser Chromium => _browser ?? throw new InvalidOperationException("Not started.");

    public static string ScreenshotFolder { get; } = Path.Combine(PortalServer.SolutionRoot, "TestResults", "screenshots");

    public static string UniqueEmail(string name = "user") => $"{name}{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}@example.test";

    public static string Unique(string text) => $"{text} {Guid.NewGuid().ToString("N")[..6]}";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (scripts/test.sh does).");
        Directory.CreateDirectory(ScreenshotFolder);

        // As generous as the visitors' action timeout: an expected page may wait for the scan of the page before it.
        Assertions.SetDefaultExpectTimeout(60_000);
        var server = PortalServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        _server = await server;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A new visitor with empty cookies; its last page is saved as <c>TestResults/screenshots/{name}.png</c>.</summary>
    public Task<Visitor> NewVisitorAsync(string name) =>
        Visitor.OpenAsync(_browser ?? throw new InvalidOperationException("Not started."), Server.BaseUrl, Path.Combine(ScreenshotFolder, name + ".png"));

    /// <summary>A new visitor on a phone-sized window (<see cref="Visitor.Phone"/>).</summary>
    public Task<Visitor> NewPhoneVisitorAsync(string name) =>
        Visitor.OpenAsync(_browser ?? throw new InvalidOperationException("Not started."), Server.BaseUrl, Path.Combine(ScreenshotFolder, name + ".png"), Visitor.Phone);
}
