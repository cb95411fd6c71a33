using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Cli;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Web;

namespace Portal.Features.Setup;

/// <summary><c>seed-demo [--reset]</c>: the demo data set, in an empty database.</summary>
public sealed class SeedDemoVerb : ICommandLineVerb
{
    public string Name => "seed-demo";

    public string Usage => "seed-demo [--reset]   demo data in an empty database; --reset first deletes every row, after you type reset";

    /// <summary>
    /// Seeds the demo into an empty database. A database with data is left untouched, with the two ways to start over;
    /// <c>--reset</c> deletes it and seeds anew once the operator types "reset".
    /// </summary>
    public async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var connection = configuration.GetConnectionString("Portal") ?? "Data Source=App_Data/portal.db";
        SeedDemo.Counts contents;
        await using (var scope = services.CreateAsyncScope())
        {
            contents = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SeedDemo.Contents());
        }

        if (!contents.IsEmpty)
        {
            if (!args.Contains("--reset"))
            {
                error.WriteLine($"seed-demo fills an empty database only, and this one already has data ({Plural.Of(contents.Users, "user")}, " +
                    $"{Plural.Of(contents.Clients, "client account")}, {Plural.Of(contents.Admins, "admin")}). Nothing was changed.");
                error.WriteLine("To start over with the demo data, either:");
                error.WriteLine("  dotnet run -- seed-demo --reset    deletes every row of this database (after you confirm), then seeds the demo");
                error.WriteLine($"  or stop the portal, delete the database named by ConnectionStrings:Portal ({connection}), and run dotnet run -- seed-demo");
                return 1;
            }

            output.Write($"--reset deletes every row of the database {connection} ({Plural.Of(contents.Users, "user")}, " +
                $"{Plural.Of(contents.Clients, "client account")}). Type reset to continue: ");
            if (input.ReadLine()?.Trim() != "reset")
            {
                error.WriteLine("Nothing was changed.");
                return 1;
            }

            await DeleteDatabaseAsync(services);
            await services.MigrateDatabaseAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            // The demo's service logins are encrypted inside the seed's write transaction; the key ring (kept in the
            // database) is created first, outside it, or its own save would wait on that transaction's lock.
            Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(
                scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("Portal.KeyRing"), "ready");
            var logins = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SeedDemo.Command());
            output.WriteLine("Demo data created. Logins:");
            foreach (var login in logins)
            {
                output.WriteLine($"  {login}");
            }
        }

        var baseUrl = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalOptions>>().Value.BaseUrl.TrimEnd('/');
        output.WriteLine();
        output.WriteLine("Next: start the portal with");
        output.WriteLine("  dotnet run");
        output.WriteLine($"and open {baseUrl}/login (clients) or {baseUrl}/admin/login (the admin).");
        return 0;
    }

    private static async Task DeleteDatabaseAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var file = db.Database.IsSqlite() ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource : null;
        await db.Database.EnsureDeletedAsync();

        // A write-ahead log left beside a new file would be replayed into it.
        foreach (var side in file is null ? [] : new[] { file + "-wal", file + "-shm" })
        {
            File.Delete(side);
        }
    }
}
