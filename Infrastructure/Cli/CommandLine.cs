using FluentValidation;

namespace Portal.Infrastructure.Cli;

/// <summary>
/// A command of the executable (<c>dotnet Portal.dll create-admin …</c>), added by the feature it belongs to with
/// <see cref="CommandLine.AddCommandLineVerb{TVerb}"/>. It answers the process's exit code.
/// </summary>
public interface ICommandLineVerb
{
    string Name { get; }

    /// <summary>One line: the verb with its arguments, and what it does.</summary>
    string Usage { get; }

    Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error);

    /// <summary>
    /// The exit code when the app cannot start (the database unreachable) before the verb runs, for a verb whose caller
    /// reads it (a mail server's pipe); null: the failure is thrown as it is.
    /// </summary>
    int? ExitCodeWhenStartFails => null;
}

/// <summary>
/// Runs the verb named on the command line, if any; with none, the app serves the web. A word that names no verb, and
/// <c>help</c> or <c>--help</c>, print the usage instead (exit 2 and 0), before anything touches the database.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit code of a command line that names no verb (as <c>getopt</c> tools answer a usage error).</summary>
    public const int UsageError = 2;

    private static readonly string[] HelpFlags = ["--help", "-h", "-?", "help"];

    /// <summary>
    /// Answers <c>--help</c> and an unknown verb with the usage, and says so (true: the process ends). Options of the
    /// web host (<c>--urls http://…</c>, <c>--environment=Production</c>) are not verbs.
    /// </summary>
    public static bool AnswersUsage(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var verbs = services.GetServices<ICommandLineVerb>().ToList();
        var name = VerbName(args);
        if (args.Any(a => HelpFlags.Contains(a)))
        {
            output.Write(Usage(verbs));
            Environment.ExitCode = 0;
            return true;
        }

        if (name is null || verbs.Any(v => v.Name == name))
        {
            return false;
        }

        error.WriteLine($"Unknown command '{name}'.");
        error.Write(Usage(verbs));
        Environment.ExitCode = UsageError;
        return true;
    }

    private static string Usage(IEnumerable<ICommandLineVerb> verbs)
    {
        var usage = new System.Text.StringBuilder();
        usage.AppendLine("Usage: Portal [command] [options]");
        usage.AppendLine();
        usage.AppendLine("  (no command)   serve the portal (options: --urls http://host:port, and any configuration key as --Key=value)");
        foreach (var verb in verbs.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            usage.AppendLine("  " + verb.Usage);
        }

        usage.AppendLine("  help, --help   this text");
        return usage.ToString();
    }

    /// <summary>The first word that is neither an option nor an option's value: the verb, or null.</summary>
    public static string? VerbName(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith('-'))
            {
                // "--urls http://…": the next word is the option's value, unless the option is a flag or holds its value.
                if (!arg.Contains('=') && !HelpFlags.Contains(arg) && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                {
                    i++;
                }

                continue;
            }

            if (!arg.Contains('='))
            {
                return arg;
            }
        }

        return null;
    }

    public static IServiceCollection AddCommandLineVerb<TVerb>(this IServiceCollection services)
        where TVerb : class, ICommandLineVerb =>
        services.AddSingleton<ICommandLineVerb, TVerb>();

    /// <summary>The exit code of a verb that found the database busy (sysexits' EX_TEMPFAIL): run it again later.</summary>
    public const int TryAgainLater = 75;

    public static async Task<bool> TryRunAsync(IServiceProvider services, string[] args)
    {
        var name = VerbName(args);
        var verb = services.GetServices<ICommandLineVerb>().FirstOrDefault(v => v.Name == name);
        if (verb is null)
        {
            return false;
        }

        try
        {
            Environment.ExitCode = await verb.RunAsync(services, args, Console.In, Console.Out, Console.Error);
        }
        catch (ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"{(string.IsNullOrEmpty(error.PropertyName) ? "error" : error.PropertyName)}: {error.ErrorMessage}");
            }

            Environment.ExitCode = 1;
        }
        catch (Exception e) when (e is Pipeline.BusyException || Data.Contention.IsBusy(e))
        {
            // EX_TEMPFAIL: a mail server piping to import-mail, or a script, tries again later.
            Console.Error.WriteLine($"error: {Pipeline.BusyException.UserMessage} Nothing was changed.");
            Environment.ExitCode = TryAgainLater;
        }

        return true;
    }

    /// <summary>
    /// When the command line names a verb with an <see cref="ICommandLineVerb.ExitCodeWhenStartFails"/>, says why the app
    /// could not start on standard error, sets that exit code and answers true; otherwise false.
    /// </summary>
    public static bool StartFailed(IServiceProvider services, string[] args, Exception failure)
    {
        var name = VerbName(args);
        if (services.GetServices<ICommandLineVerb>().FirstOrDefault(v => v.Name == name) is not { ExitCodeWhenStartFails: { } code })
        {
            return false;
        }

        Console.Error.WriteLine($"{name}: the portal could not start, try again later: {failure.GetType().Name}: {failure.Message.ReplaceLineEndings(" ")}");
        Environment.ExitCode = code;
        return true;
    }

    /// <summary>The value after <paramref name="name"/> (<c>--email E</c>), or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
