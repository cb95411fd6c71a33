using Portal.Tests.Infrastructure;

namespace Portal.Tests.Infrastructure.Cli;

/// <summary>
/// The executable answers what it does not know with its usage, before it touches the database: a mistyped verb never
/// starts the web server, migrates a database or prints a new admin setup link.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("portal-cli-").FullName;

    private string Database => Path.Combine(folder, "portal.db");

    private Dictionary<string, string> Settings => new()
    {
        ["Database__Provider"] = "Sqlite",
        ["ConnectionStrings__Portal"] = $"Data Source={Database}",
        ["Portal__KeyCertificatePath"] = Path.Combine(folder, "keys.pfx"),
    };

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("create-admn")]
    public async Task An_unknown_verb_prints_the_usage_and_exits_2_without_touching_the_database(string verb)
    {
        var (code, output, error) = await PortalExecutable.RunAsync(Settings, "", verb, "--email", "someone@example.test");

        Assert.Equal(2, code);
        Assert.StartsWith($"Unknown command '{verb}'.", error);
        Assert.Contains("create-admin --email", error);
        Assert.DoesNotContain("/admin/setup", output + error);
        Assert.False(File.Exists(Database), "the database was created");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    [InlineData("-h")]
    public async Task Help_prints_every_verb_and_exits_0(string help)
    {
        var (code, output, _) = await PortalExecutable.RunAsync(Settings, "", help);

        Assert.Equal(0, code);
        Assert.StartsWith("Usage: Portal", output);
        Assert.Contains("create-admin --email", output);
        Assert.Contains("import-mail", output);
        Assert.Contains("seed-demo", output);
        Assert.False(File.Exists(Database), "the database was created");
    }

    [Fact]
    public async Task Create_admin_prints_the_full_admin_login_address()
    {
        var settings = Settings;
        settings["Portal__BaseUrl"] = "https://portal.example.test";

        var (code, output, error) = await PortalExecutable.RunAsync(settings, "correct horse battery staple\n", "create-admin", "--email", "boss@example.test");

        Assert.True(code == 0, output + error);
        Assert.Contains("Log in at https://portal.example.test/admin/login", output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
