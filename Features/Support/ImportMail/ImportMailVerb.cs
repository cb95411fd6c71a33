using FluentValidation;
using Mediator;
using Portal.Infrastructure.Cli;

namespace Portal.Features.Support;

/// <summary>
/// <c>import-mail</c>: one RFC 822 message on standard input, as a mail server's pipe delivers it. Exit code 0 when the
/// message was imported, dropped as automatic or already imported; 65 (EX_DATAERR) when it is refused, with the reason
/// on standard error and nothing written.
/// </summary>
public sealed class ImportMailVerb : ICommandLineVerb
{
    public const int Refused = 65;

    public string Name => "import-mail";

    public string Usage => "import-mail < message.eml   import one inbound e-mail as a ticket reply or a new ticket";

    public async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        return await RunAsync(scope.ServiceProvider.GetRequiredService<ISender>(), Console.OpenStandardInput(), output, error);
    }

    public static async Task<int> RunAsync(ISender sender, Stream input, TextWriter output, TextWriter error)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer);
        try
        {
            var result = await sender.Send(new ImportMail.Command(buffer.ToArray()));
            await output.WriteLineAsync(result.Explanation);
            return 0;
        }
        catch (ValidationException e)
        {
            foreach (var failure in e.Errors)
            {
                await error.WriteLineAsync($"import-mail: {failure.ErrorMessage}");
            }

            return Refused;
        }
    }
}
