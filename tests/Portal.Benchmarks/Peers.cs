using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Portal.Benchmarks;

/// <summary>
/// What a user of the framework would get, built from the installed SDK's own templates in the run that measures Portal:
/// the framework floor (<c>dotnet new webapp</c> with its pages behind cookie authentication) and the peer (the stock
/// Identity UI app, <c>dotnet new webapp --auth Individual</c> on SQLite). Generated under <c>data/peers/</c> (not
/// committed), regenerated only when missing, when the SDK changed or when the changes below changed.
/// </summary>
public static partial class Peers
{
    public const string FrameworkFloor = "framework floor";

    /// <summary>Bump when the changes made to the templates change, so that the next run regenerates them.</summary>
    private const string Recipe = "2";

    /// <summary>What the harness pins when the template's own package versions do not restore from this machine's feed.</summary>
    private const string FallbackPackageVersion = "10.0.15";

    public const string PeerEmail = "peer@bench.example";
    public const string PeerPassword = "Bench-Peer-2026!";

    public sealed record Built(string Folder, string Sdk, string FloorProject, string PeerProject, string Notes)
    {
        public string FloorDll => Path.Combine(FloorProject, "bin", "Release", "net10.0", "FrameworkFloor.dll");
        public string PeerDll => Path.Combine(PeerProject, "bin", "Release", "net10.0", "IdentityPeer.dll");
        public string PeerDatabase => Path.Combine(Folder, "identity-peer.db");
    }

    /// <summary>Generates and builds both apps (Release) unless the ones on disk were built by this SDK with this recipe.</summary>
    public static async Task<Built> PrepareAsync(string repository, TextWriter log)
    {
        var folder = Path.Combine(repository, "tests", "Portal.Benchmarks", "data", "peers");
        var sdk = (await RunAsync("dotnet", ["--version"], repository)).Trim();
        var stampPath = Path.Combine(folder, "generated-with.txt");
        var stamp = $"SDK {sdk}, recipe {Recipe}";
        var built = new Built(folder, sdk, Path.Combine(folder, "floor"), Path.Combine(folder, "peer"), "");
        if (File.Exists(stampPath) && File.ReadAllLines(stampPath) is [var first, .. var rest] && first == stamp
            && File.Exists(built.FloorDll) && File.Exists(built.PeerDll))
        {
            log.WriteLine($"Framework floor and peer: built earlier with {stamp} ({folder}).");
            return built with { Notes = string.Join(' ', rest) };
        }

        log.WriteLine($"Generating the framework floor and the peer with the templates of SDK {sdk} into {folder}...");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);

        // Empty MSBuild files stop the search upwards, so the repository's own (warnings as errors) do not apply to the templates.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), "<Project>\n</Project>\n");
        }

        await RunAsync("dotnet", ["new", "webapp", "-n", "FrameworkFloor", "-o", built.FloorProject, "--no-restore"], folder);
        await RunAsync("dotnet", ["new", "webapp", "--auth", "Individual", "-n", "IdentityPeer", "-o", built.PeerProject, "--no-restore"], folder);
        await PatchFloorAsync(built.FloorProject);
        await PatchPeerAsync(built.PeerProject);

        var notes = new List<string>();
        foreach (var project in new[] { built.FloorProject, built.PeerProject })
        {
            if (!await RestoresAsync(project))
            {
                var csproj = Directory.GetFiles(project, "*.csproj").Single();
                var text = await File.ReadAllTextAsync(csproj);
                await File.WriteAllTextAsync(csproj, PackageVersion().Replace(text, $"Version=\"{FallbackPackageVersion}\""));
                notes.Add($"{Path.GetFileName(csproj)}: the template's package versions did not restore here, pinned to {FallbackPackageVersion}.");
                log.WriteLine("  " + notes[^1]);
                await RunAsync("dotnet", ["restore"], project);
            }

            await RunAsync("dotnet", ["build", "-c", "Release", "--no-restore", "-nologo", "-v", "q"], project);
        }

        await File.WriteAllLinesAsync(stampPath, [stamp, .. notes]);
        log.WriteLine($"  built {built.FloorDll} and {built.PeerDll}.");
        return built with { Notes = string.Join(' ', notes) };
    }

    /// <summary>
    /// The smallest change that puts the template's pages behind cookie authentication: a cookie scheme, a fallback
    /// policy that requires a signed-in user, and an anonymous sign-in page (a form, so antiforgery applies) that issues
    /// the cookie without any check.
    /// </summary>
    private static async Task PatchFloorAsync(string project)
    {
        var program = Path.Combine(project, "Program.cs");
        var text = await File.ReadAllTextAsync(program);
        text = """
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Authorization;

            """ + text;
        text = ReplaceOnce(text, "builder.Services.AddRazorPages();", """
            builder.Services.AddRazorPages();
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options => options.LoginPath = "/SignIn");
            builder.Services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            """);
        text = ReplaceOnce(text, "app.UseAuthorization();", "app.UseAuthentication();\napp.UseAuthorization();");
        await File.WriteAllTextAsync(program, text);

        await File.WriteAllTextAsync(Path.Combine(project, "Pages", "SignIn.cshtml"), """
            @page
            @model SignInModel
            @{
                ViewData["Title"] = "Sign in";
            }
            <form method="post">
                <button type="submit">Sign in</button>
            </form>

            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Pages", "SignIn.cshtml.cs"), """
            using System.Security.Claims;
            using Microsoft.AspNetCore.Authentication;
            using Microsoft.AspNetCore.Authentication.Cookies;
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.Mvc.RazorPages;

            namespace FrameworkFloor.Pages;

            [AllowAnonymous]
            public class SignInModel : PageModel
            {
                public async Task<IActionResult> OnPostAsync()
                {
                    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "benchmark")], CookieAuthenticationDefaults.AuthenticationScheme);
                    await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                    return LocalRedirect("/");
                }
            }

            """);
    }

    /// <summary>
    /// The stock Identity UI app, changed only so that its database is created at start-up in Production (the template
    /// leaves that to `dotnet ef` or the Development-only migrations page). RequireConfirmedAccount stays on: the
    /// harness confirms its registered user's e-mail in the SQLite file, as the link in the confirmation mail would.
    /// </summary>
    private static async Task PatchPeerAsync(string project)
    {
        var program = Path.Combine(project, "Program.cs");
        var text = await File.ReadAllTextAsync(program);
        text = ReplaceOnce(text, "var app = builder.Build();", """
            var app = builder.Build();

            using (var scope = app.Services.CreateScope())
            {
                scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Database.Migrate();
            }
            """);
        await File.WriteAllTextAsync(program, text);
    }

    private static string ReplaceOnce(string text, string anchor, string replacement)
    {
        var at = text.IndexOf(anchor, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(anchor, at + anchor.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"The template's Program.cs no longer has exactly one `{anchor}`: the harness's change to it needs updating.");
        }

        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + anchor.Length));
    }

    private static async Task<bool> RestoresAsync(string project)
    {
        try
        {
            await RunAsync("dotnet", ["restore"], project);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The framework floor, started as Portal is (Release, Production, loopback port), and signed in.</summary>
    public static async Task<AppProcess> StartFloorAsync(Built built, TextWriter log) =>
        await AppProcess.StartProgramAsync("framework floor", built.FloorDll, built.FloorProject, new Dictionary<string, string>(), "/SignIn", log);

    /// <summary>The peer on a fresh SQLite file (its start-up creates the schema).</summary>
    public static async Task<AppProcess> StartPeerAsync(Built built, TextWriter log)
    {
        foreach (var file in new[] { built.PeerDatabase, built.PeerDatabase + "-wal", built.PeerDatabase + "-shm" })
        {
            File.Delete(file);
        }

        return await AppProcess.StartProgramAsync("Identity UI peer", built.PeerDll, built.PeerProject,
            new Dictionary<string, string> { ["ConnectionStrings__DefaultConnection"] = $"DataSource={built.PeerDatabase};Cache=Shared" }, "/", log);
    }

    public static async Task SignInToFloorAsync(Visitor visitor)
    {
        var (status, body, location) = await visitor.SubmitAsync("/SignIn", new());
        if (status != HttpStatusCode.Redirect || location != "/")
        {
            throw new InvalidOperationException($"Signing in to the framework floor answered {(int)status} {location}: {Visitor.Excerpt(body)}");
        }
    }

    /// <summary>
    /// Registers through the peer's Register form, confirms the e-mail in its SQLite file (the mail is never sent), and
    /// signs in through its Login form.
    /// </summary>
    public static async Task SignInToPeerAsync(Visitor visitor, Built built)
    {
        var (status, body, location) = await visitor.SubmitAsync("/Identity/Account/Register", new()
        {
            ["Input.Email"] = PeerEmail, ["Input.Password"] = PeerPassword, ["Input.ConfirmPassword"] = PeerPassword,
        });
        if (status != HttpStatusCode.Redirect || location?.Contains("RegisterConfirmation", StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"Registering with the peer answered {(int)status} {location}: {Visitor.Excerpt(body)}");
        }

        await using (var connection = new SqliteConnection($"Data Source={built.PeerDatabase};Pooling=False;Default Timeout=30"))
        {
            connection.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE AspNetUsers SET EmailConfirmed = 1 WHERE NormalizedEmail = $email";
            command.Parameters.AddWithValue("$email", PeerEmail.ToUpperInvariant());
            if (await command.ExecuteNonQueryAsync() != 1)
            {
                throw new InvalidOperationException($"The peer's database has no user {PeerEmail} to confirm.");
            }
        }

        (status, body, location) = await visitor.SubmitAsync("/Identity/Account/Login", new()
        {
            ["Input.Email"] = PeerEmail, ["Input.Password"] = PeerPassword, ["Input.RememberMe"] = "false",
        });
        if (status != HttpStatusCode.Redirect || location?.Contains("/Identity/Account", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Signing in to the peer answered {(int)status} {location}: {Visitor.Excerpt(body)}");
        }

        await ExpectPeerSignedInAsync(visitor);
    }

    /// <summary>The peer's /Privacy is open to anyone: only the layout's greeting shows that the visitor is signed in.</summary>
    public static async Task ExpectPeerSignedInAsync(Visitor visitor)
    {
        var (status, body, _) = await visitor.GetAsync("/Privacy");
        if (status != HttpStatusCode.OK || !body.Contains($"Hello {PeerEmail}!", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The peer's /Privacy does not greet {PeerEmail}: {(int)status} {Visitor.Excerpt(body)}");
        }
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var all = (await output + await error).Trim();
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {(all.Length > 2000 ? all[^2000..] : all)}");
        }

        return await output;
    }

    [GeneratedRegex(@"(?<=<PackageReference Include=""Microsoft\.[^""]+"" )Version=""10\.0\.\d+""")]
    private static partial Regex PackageVersion();
}

public sealed partial class AppProcess
{
    private volatile bool _stopping;

    /// <summary>An app that ends while the harness still drives it says how (its exit code; 128 + n for signal n).</summary>
    private void ReportExit(string name, TextWriter log)
    {
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) =>
        {
            if (!_stopping)
            {
                log.WriteLine($"  {name} (pid {Pid}) exited on its own with code {_process.ExitCode} at {DateTime.UtcNow:HH:mm:ss} UTC.");
            }
        };
    }

    /// <summary>
    /// Another built app (<paramref name="dll"/>) as Portal runs: Release, Production, a loopback port, warnings only in
    /// its log; ready when <paramref name="readyPath"/> answers 200.
    /// </summary>
    public static async Task<AppProcess> StartProgramAsync(string name, string dll, string contentRoot, IReadOnlyDictionary<string, string> settings,
        string readyPath, TextWriter log)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = contentRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.WriteLine($"  {name}: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // No mail folder: the name below never exists, so disposing has nothing to delete.
        var result = new AppProcess(process, new Uri(baseUrl), Path.Combine(Path.GetTempPath(), $"portal-bench-peer-{Guid.NewGuid():N}"));
        result.ReportExit(name, log);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The {name} exited with code {process.ExitCode} on start-up.");
            }

            try
            {
                if ((await http.GetAsync(new Uri(result.BaseUri, readyPath))).StatusCode == HttpStatusCode.OK)
                {
                    return result;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        await result.DisposeAsync();
        throw new TimeoutException($"The {name} did not answer {readyPath} within two minutes.");
    }
}

public static partial class Driver
{
    /// <summary>
    /// The framework floor and then the peer, each started alone, signed in through its own forms and driven with the
    /// same wrk settings as Portal's pages, before Portal starts: the denominator is measured first, on the same machine state.
    /// </summary>
    private static async Task MeasurePeersAsync(RunOptions options, Report report, TextWriter log)
    {
        var built = await Peers.PrepareAsync(options.Repository, log);
        report.PeersBuiltWith = $"SDK {built.Sdk} templates" + (built.Notes.Length > 0 ? "; " + built.Notes : "");
        await using (var floor = await Peers.StartFloorAsync(built, log))
        {
            log.WriteLine($"Framework floor (dotnet new webapp, cookie auth) on {floor.BaseUri}.");
            using var visitors = new Visitors(floor.BaseUri);
            await Peers.SignInToFloorAsync(visitors.Owner);
            report.Add(await MeasureAsync(floor, visitors, new(Peers.FrameworkFloor, "/", "framework", v => v.Owner), options, "template page", log));
        }

        var pages = new List<Scenario>
        {
            new("peer: Identity UI signed in", "/Privacy", "peer", v => v.Owner),
            new("peer: Identity UI manage", "/Identity/Account/Manage", "peer", v => v.Owner),
        };
        if (!pages.Any(p => Selected(options, p.Name)))
        {
            return;
        }

        await using var peer = await Peers.StartPeerAsync(built, log);
        log.WriteLine($"Identity UI peer (dotnet new webapp --auth Individual, SQLite) on {peer.BaseUri}.");
        using var signedIn = new Visitors(peer.BaseUri);
        await Peers.SignInToPeerAsync(signedIn.Owner, built);
        foreach (var page in pages.Where(p => Selected(options, p.Name)))
        {
            report.Add(await MeasureAsync(peer, signedIn, page, options, "1 user", log));
            await Peers.ExpectPeerSignedInAsync(signedIn.Owner);
        }
    }
}
