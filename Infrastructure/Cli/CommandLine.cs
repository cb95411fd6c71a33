using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Setup;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Cli;

/// <summary>The executable's commands: <c>create-admin --email E</c> (password on standard input) and <c>seed-demo</c>.</summary>
public static class CommandLine
{
    public static async Task<bool> TryRunAsync(IServiceProvider services, string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('='));
        if (command is not ("create-admin" or "seed-demo" or "import-mail"))
        {
            return false;
        }

        await using var scope = services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        try
        {
            if (command == "create-admin")
            {
                await CreateAdminAsync(sender, args);
            }
            else if (command == "import-mail")
            {
                Environment.ExitCode = await ImportMailCommand.RunAsync(sender, Console.OpenStandardInput(), Console.Out, Console.Error);
            }
            else
            {
                await SeedDemoAsync(services, args, Console.In, Console.Out, Console.Error);
            }
        }
        catch (ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"{(string.IsNullOrEmpty(error.PropertyName) ? "error" : error.PropertyName)}: {error.ErrorMessage}");
            }

            Environment.ExitCode = 1;
        }

        return true;
    }

    /// <summary>
    /// Seeds the demo into an empty database. A database with data is left untouched, with the two ways to start over;
    /// <c>--reset</c> deletes it and seeds anew once the operator types "reset".
    /// </summary>
    public static async Task SeedDemoAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
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
                error.WriteLine($"seed-demo fills an empty database only, and this one already has data ({Web.Plural.Of(contents.Users, "user")}, " +
                    $"{Web.Plural.Of(contents.Clients, "client account")}, {Web.Plural.Of(contents.Admins, "admin")}). Nothing was changed.");
                error.WriteLine("To start over with the demo data, either:");
                error.WriteLine("  dotnet run -- seed-demo --reset    deletes every row of this database (after you confirm), then seeds the demo");
                error.WriteLine($"  or stop the portal, delete the database named by ConnectionStrings:Portal ({connection}), and run dotnet run -- seed-demo");
                Environment.ExitCode = 1;
                return;
            }

            output.Write($"--reset deletes every row of the database {connection} ({Web.Plural.Of(contents.Users, "user")}, " +
                $"{Web.Plural.Of(contents.Clients, "client account")}). Type reset to continue: ");
            if (input.ReadLine()?.Trim() != "reset")
            {
                error.WriteLine("Nothing was changed.");
                Environment.ExitCode = 1;
                return;
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

        var baseUrl = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Email.PortalOptions>>().Value.BaseUrl.TrimEnd('/');
        output.WriteLine();
        output.WriteLine("Next: start the portal with");
        output.WriteLine("  dotnet run");
        output.WriteLine($"and open {baseUrl}/login (clients) or {baseUrl}/admin/login (the admin).");
    }

    private static async Task DeleteDatabaseAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.PortalDbContext>();
        var file = db.Database.IsSqlite() ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource : null;
        await db.Database.EnsureDeletedAsync();

        // A write-ahead log left beside a new file would be replayed into it.
        foreach (var side in file is null ? [] : new[] { file + "-wal", file + "-shm" })
        {
            File.Delete(side);
        }
    }

    private static async Task CreateAdminAsync(ISender sender, string[] args)
    {
        var email = Option(args, "--email");
        if (email is null)
        {
            Console.Error.WriteLine("usage: create-admin --email E [--first-name F] [--last-name L]   (password on standard input)");
            Environment.ExitCode = 2;
            return;
        }

        if (!Console.IsInputRedirected)
        {
            Console.Write("Password: ");
        }

        var password = Console.ReadLine();
        var id = await sender.Send(new CreateAdmin.Command
        {
            Email = email,
            FirstName = Option(args, "--first-name") ?? "Admin",
            LastName = Option(args, "--last-name") ?? "",
            Password = password,
        });
        Console.WriteLine($"Admin #{id} created for {email}. Log in at /admin/login.");
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
