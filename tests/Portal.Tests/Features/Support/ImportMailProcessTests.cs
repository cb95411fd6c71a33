using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Portal.Features.Support;

namespace Portal.Tests.Features.Support;

/// <summary>
/// <c>import-mail</c> as a mail server runs it: the real executable, a message on standard input. When the database
/// cannot be reached it exits 75 with a message (the mail server keeps the message and tries again), never with an
/// unhandled exception.
/// </summary>
public sealed class ImportMailProcessTests
{
    [Fact]
    public async Task An_unreachable_database_exits_75_with_a_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = SolutionRoot(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(PortalDll());
        start.ArgumentList.Add("import-mail");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Postgres";
        start.Environment["ConnectionStrings__Portal"] = $"Host=127.0.0.1;Port={closedPort};Database=portal;Username=portal;Timeout=3";
        start.Environment["Jobs__RunServer"] = "false";

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync("From: a@example.test\r\nTo: support@example.test\r\nSubject: Hello\r\n\r\nHi.\r\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ImportMailVerb.TryLater, process.ExitCode);
        Assert.StartsWith("import-mail: the portal could not start, try again later:", await error);
        Assert.DoesNotContain("Unhandled exception", await error + await output);
    }

    private static string SolutionRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln not found above the test's folder.");
    }

    private static string PortalDll()
    {
        var output = typeof(ImportMailProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PortalOutput").Value!;
        var dll = Path.Combine(SolutionRoot(), output, "Portal.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Portal first: {dll} is missing.", dll);
    }
}
