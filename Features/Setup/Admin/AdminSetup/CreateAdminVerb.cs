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

        if (!Console.IsInputRedirected)
        {
            output.Write("Password: ");
        }

        var password = input.ReadLine();
        await using var scope = services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CreateAdmin.Command
        {
            Email = email,
            FirstName = CommandLine.Option(args, "--first-name") ?? "Admin",
            LastName = CommandLine.Option(args, "--last-name") ?? "",
            Password = password,
        });
        output.WriteLine($"Admin #{id} created for {email}. Log in at /admin/login.");
        return 0;
    }
}
