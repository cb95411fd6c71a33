using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Browser.Infrastructure;

/// <summary>
/// The built Portal.dll served by Kestrel on a free loopback port, as an operator runs it: its own process, a SQLite
/// file and a mail pickup folder in a temporary folder, and the solution root as content root (appsettings, wwwroot).
/// </summary>
public sealed partial class PortalServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // A command (create-admin hashes a password at the production cost) shares a busy 2-core machine with the journeys.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private PortalServer(Process process, StringBuilder output, string folder, string baseUrl)
    {
        _process = process;
        _output = output;
        Folder = folder;
        BaseUrl = baseUrl;

        // A test host that is torn down without disposing its fixtures must not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        };
    }

    public static string SolutionRoot { get; } = FindSolutionRoot();

    public string Folder { get; }

    public string BaseUrl { get; }

    public string MailFolder => Path.Combine(Folder, "mail");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The one-time first-admin link the app prints while no admin exists, if it printed one.</summary>
    public string? AdminSetupLink => SetupLinkPattern().Match(Output) is { Success: true } m ? m.Value : null;

    public static async Task<PortalServer> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-browser-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // The port is chosen before the start because Portal:BaseUrl, which e-mailed links are built from, must name it.
            // localhost, not 127.0.0.1: a passkey belongs to a domain (its relying party id), never to an IP address.
            var baseUrl = $"http://localhost:{FreePort()}";
            var output = new StringBuilder();
            var process = Start(folder, baseUrl, output, ["--urls=" + baseUrl], redirectInput: false);
            var server = new PortalServer(process, output, folder, baseUrl);
            try
            {
                await server.WaitUntilHealthyAsync();
                return server;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                last = e;
                await server.StopAsync();
            }
        }

        Directory.Delete(folder, true);
        throw new InvalidOperationException("Portal did not start.", last);
    }

    /// <summary>Runs a command of the same executable (<c>create-admin</c>, <c>seed-demo</c>) against this server's database.</summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(string? standardInput, params string[] args)
    {
        var output = new StringBuilder();
        using var process = Start(Folder, BaseUrl, output, args, redirectInput: true);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteLineAsync(standardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Creates an admin with the <c>create-admin</c> command, the password on standard input.</summary>
    public async Task CreateAdminAsync(string email, string password, string firstName = "Ada", string lastName = "Admin")
    {
        var (exitCode, output) = await RunCommandAsync(password, "create-admin", "--email", email, "--first-name", firstName, "--last-name", lastName);
        Assert.True(exitCode == 0, $"create-admin failed ({exitCode}):\n{output}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Portal exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(BaseUrl + "/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Portal answered no /healthz within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private static Process Start(string folder, string baseUrl, StringBuilder output, string[] args, bool redirectInput)
    {
        var dll = PortalDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = SolutionRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var environment = start.Environment;
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment.Remove("ASPNETCORE_URLS");
        environment["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(folder, "portal.db")}";
        environment["Portal__BaseUrl"] = baseUrl;
        environment["Mail__PickupDirectory"] = Path.Combine(folder, "mail");
        environment["Mail__Smtp__Host"] = "";
        environment["RateLimits__AuthPerMinute"] = "1000";
        environment["RateLimits__TokensPerMinute"] = "1000";
        environment["RateLimits__InvitationsPerHour"] = "1000";

        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string PortalDll()
    {
        var output = typeof(PortalServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PortalOutput").Value!;
        var dll = Path.Combine(SolutionRoot, output, "Portal.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Portal first: {dll} is missing.", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindSolutionRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"http://\S+/admin/setup\?token=\S+")]
    private static partial Regex SetupLinkPattern();
}
