using System.Collections.Concurrent;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Figures the security suite adds up while it runs: routes checked, hostile inputs tried, concurrent operations,
/// faults injected, and the 500s, leaks and lost writes found (all must stay 0). Written to
/// TestResults/security-summary-{provider}.txt when the run ends (one file per database the suite ran on), and printed by
/// .ci/run.
/// </summary>
public static class SecurityReport
{
    private static readonly ConcurrentDictionary<string, long> Figures = new();

    public const string RoutesInMatrix = "routes in the matrix";
    public const string MatrixRequests = "matrix requests (route x handler x visitor)";
    public const string MethodRequests = "methods per route (route x HTTP method)";
    public const string RouteIdOverrides = "route-id overrides tried (route x handler x parameter, by form and query)";
    public const string NonAsciiRedirects = "non-ASCII redirect targets tried";
    public const string HostileInputs = "hostile inputs tried";
    public const string ConcurrentOperations = "concurrent operations run";
    public const string FaultsInjected = "faults injected";
    public const string ServerErrors = "500 responses";
    public const string Leaks = "leaks (another account's data or an unencoded echo)";
    public const string LostWrites = "lost or partial writes";
    public const string UnusualAddresses = "unusual valid e-mail addresses turned into logins";
    public const string LoggedInputs = "hostile values checked against the activity log";
    public const string ForgedLogLines = "control or bidi characters stored in the activity log";
    public const string BusyFaults = "database busy faults injected into write units";
    public const string SerializationFaults = "serialization failure and deadlock faults injected into write units";
    public const string BusyAnswers = "writes past their retries answered 503 with the form";
    public const string SlowCallsUnderLock = "slow calls (hash, Data Protection, mail) while a write lock was held";
    public const string OtherAmountFormsTried = "amounts in other formats tried (money field x decimal comma, exponent, sign, size...)";
    public const string OtherAmountFormsAccepted = "amounts in other formats taken (must be 0)";
    public const string BadChoicesTried = "combined or undefined choices tried (enum field x value)";
    public const string BadChoicesAccepted = "combined or undefined choices taken (must be 0)";
    public const string MailKindsAfterLoss = "mail kinds sent after their user lost access (kind x removed or permission taken)";
    public const string MailsToTheUnentitled = "mails to someone without the permission now (must be 0)";
    public const string InboundForgedFrom = "inbound mail: forged From addresses tried";
    public const string InboundDisplayNames = "inbound mail: display-name tricks tried";
    public const string InboundUnrelatedSenders = "inbound mail: unrelated senders tried";
    public const string InboundGuessedReferences = "inbound mail: guessed references tried";
    public const string InboundIdentityFailures = "inbound mail identity failures (a claimed sender taken as a user, or an unrelated reply shown to the client)";

    private static readonly ConcurrentDictionary<string, string> Notes = new();

    static SecurityReport()
    {
        foreach (var key in new[] { RoutesInMatrix, MatrixRequests, MethodRequests, RouteIdOverrides, NonAsciiRedirects, HostileInputs, ConcurrentOperations, FaultsInjected, ServerErrors, Leaks, LostWrites, UnusualAddresses, LoggedInputs, ForgedLogLines,
            BusyFaults, SerializationFaults, BusyAnswers, SlowCallsUnderLock,
            OtherAmountFormsTried, OtherAmountFormsAccepted, BadChoicesTried, BadChoicesAccepted,
            MailKindsAfterLoss, MailsToTheUnentitled,
            InboundForgedFrom, InboundDisplayNames, InboundUnrelatedSenders, InboundGuessedReferences, InboundIdentityFailures })
        {
            Figures[key] = 0;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();
    }

    public static void Add(string figure, long count = 1) => Figures.AddOrUpdate(figure, count, (_, value) => value + count);

    /// <summary>A line of text under the figures (the longest write-lock hold, say), replaced when set again.</summary>
    public static void Note(string key, string text) => Notes[key] = text;

    public static void Write()
    {
        var folder = Path.Combine(SolutionRoot(), "TestResults");
        Directory.CreateDirectory(folder);
        foreach (var (key, text) in WriteLocks.Summary())
        {
            Notes[key] = text;
        }

        var lines = Figures.OrderBy(f => f.Key).Select(f => $"  {f.Key}: {f.Value}").Concat(Notes.OrderBy(n => n.Key).Select(n => $"  {n.Key}: {n.Value}"));
        File.WriteAllText(
            Path.Combine(folder, $"security-summary-{TestDatabase.Provider.ToLowerInvariant()}{RunSuffix}.txt"),
            $"Security suite summary ({TestDatabase.Provider}{(RunSuffix.Length > 0 ? ", " + RunSuffix[1..] + " run" : "")})\n" + string.Join("\n", lines) + "\n");
    }

    /// <summary>A run other than the whole suite (scripts/stress-tests.sh sets <c>PORTAL_TEST_RUN=stress</c>) writes a summary of its own.</summary>
    private static string RunSuffix => Environment.GetEnvironmentVariable("PORTAL_TEST_RUN") is { Length: > 0 } run ? "-" + run : "";

    private static string SolutionRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
