using FluentValidation;
using Mediator;
using Portal.Features.Admin.Setup;
using Portal.Features.SeedDemo;

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
                // The demo's service logins are encrypted inside the seed's write transaction; the key ring (kept in the
                // database) is created first, outside it, or its own save would wait on that transaction's lock.
                Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(
                    scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("Portal.KeyRing"), "ready");
                var logins = await sender.Send(new SeedDemo.Command());
                Console.WriteLine("Demo data created. Logins:");
                foreach (var login in logins)
                {
                    Console.WriteLine($"  {login}");
                }
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
