using Mediator;
using Portal.Infrastructure.Cli;

namespace Portal.Features.Setup;

/// <summary><c>create-admin --email E [--first-name F] [--last-name L]</c>: an admin login, its password read from standard input.</summary>
public sealed class CreateAdminVerb : ICommandLineVerb
{
    public string Name => "create-admin";

    public string Usage => "create-admin --email E [--first-name F] [--last-name L]   (password on standard input)";

    public async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var email = CommandLine.Option(args, "--email");
        if (email is null)
        {
            error.WriteLine("usage: " + Usage);
            return 2;
        }

        string? password;
        if (Console.IsInputRedirected)
        {
            password = input.ReadLine();
        }
        else
        {
            output.Write("Password: ");
            password = ReadWithoutEcho();
            output.WriteLine();
        }

        await using var scope = services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CreateAdmin.Command
        {
            Email = email,
            FirstName = CommandLine.Option(args, "--first-name") ?? "Admin",
            LastName = CommandLine.Option(args, "--last-name") ?? "",
            Password = password,
        });
        var login = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portal.Infrastructure.Email.PortalOptions>>().Value.Link("/admin/login");
        output.WriteLine($"Admin #{id} created for {email}. Log in at {login}");
        return 0;
    }

    /// <summary>A line typed at the terminal, not shown as it is typed.</summary>
    private static string ReadWithoutEcho()
    {
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        return typed.ToString();
    }
}
