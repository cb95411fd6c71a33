using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Cli;
using Portal.Tests.Infrastructure;
using Portal.Features.Setup;

namespace Portal.Tests.Features.Setup;

[Collection(SetupCollection.Name)]
public sealed class SeedDemoTests(PortalFixture portal)
{
    private Task<(int Users, int Clients, int Admins, int Activity, int Keys, int Invitations)> ContentsAsync() =>
        portal.WithDbAsync(async db => (
            await db.Users.CountAsync(), await db.Clients.CountAsync(), await db.Admins.CountAsync(),
            await db.ActivityLog.CountAsync(), await db.DataProtectionKeys.CountAsync(), await db.Invitations.CountAsync()));

    private async Task<(string Output, string Error, int ExitCode)> RunAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await new SeedDemoVerb().RunAsync(portal.Factory.Services, ["seed-demo", .. args], new StringReader(input), output, error);
        return (output.ToString(), error.ToString(), exitCode);
    }

    [Fact]
    public async Task On_a_database_with_data_seed_demo_explains_how_to_start_over_and_changes_nothing()
    {
        await portal.CreateOwnerAsync("Existing Data Ltd");
        var before = await ContentsAsync();

        var (output, error, exitCode) = await RunAsync("");

        Assert.Equal(1, exitCode);
        Assert.Contains("already has data", error);
        Assert.Contains("Nothing was changed.", error);
        Assert.Contains("dotnet run -- seed-demo --reset", error);
        Assert.Contains("delete the database named by ConnectionStrings:Portal", error);
        Assert.Equal("", output);
        Assert.Equal(before, await ContentsAsync());
    }

    [Fact]
    public async Task Reset_without_typing_reset_changes_nothing()
    {
        await portal.CreateOwnerAsync("Kept Data Ltd");
        var before = await ContentsAsync();

        var (output, error, exitCode) = await RunAsync("yes\n", "--reset");

        Assert.Equal(1, exitCode);
        Assert.Contains("Type reset to continue", output);
        Assert.Contains("Nothing was changed.", error);
        Assert.Equal(before, await ContentsAsync());
    }
}
