using System.Data.Common;
using FluentValidation;
using Mediator;
using Portal.Infrastructure.Cli;

namespace Portal.Features.Support;

/// <summary>
/// <c>import-mail</c>: one RFC 822 message on standard input, as a mail server's pipe delivers it. Exit code 0 when the
/// message was imported, held for staff, dropped (automatic, over the sender's limit) or already imported; 65
/// (EX_DATAERR) when it is refused, with the reason on standard error and nothing written; 75 (EX_TEMPFAIL) when it
/// could not be stored for any other reason (the database unreachable, an error of the portal), with the reason on
/// standard error and nothing written, so that the mail server keeps the message and delivers it again later.
/// Never an unhandled exception.
/// </summary>
public sealed class ImportMailVerb : ICommandLineVerb
{
    public const int Refused = 65;
    public const int TryLater = 75;

    public string Name => "import-mail";

    public string Usage => "import-mail < message.eml   import one inbound e-mail as a ticket reply or a new ticket";

    /// <summary>A database that cannot be reached at start-up is a passing failure too: the mail server keeps the message.</summary>
    public int? ExitCodeWhenStartFails => TryLater;

    public async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            return await RunAsync(scope.ServiceProvider.GetRequiredService<ISender>(), Console.OpenStandardInput(), output, error);
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"import-mail: the message could not be stored, try again later: {ImportFailures.Describe(e)}");
            return TryLater;
        }
    }

    public static async Task<int> RunAsync(ISender sender, Stream input, TextWriter output, TextWriter error)
    {
        try
        {
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer);
            var result = await sender.Send(new ImportMail.Command(new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)));
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
        catch (Exception e)
        {
            await error.WriteLineAsync($"import-mail: the message could not be stored, try again later: {ImportFailures.Describe(e)}");
            return TryLater;
        }
    }
}

/// <summary>How the import tells a passing failure (try the message again later) from one that the message itself causes.</summary>
public static class ImportFailures
{
    /// <summary>The database was busy, unreachable or slow: nothing about the message, so it is tried again.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or System.Net.Sockets.SocketException || e is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One line for a log or standard error: the exception's type and message, with its innermost cause.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var text = inner == exception ? $"{exception.GetType().Name}: {exception.Message}" : $"{exception.GetType().Name}: {exception.Message} ({inner.GetType().Name}: {inner.Message})";
        return MailText.OneLine(text, 500);
    }
}
