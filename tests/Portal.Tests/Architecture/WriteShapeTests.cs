using System.Reflection;
using System.Text.RegularExpressions;
using FluentValidation;
using Mediator;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Tests.Architecture;

/// <summary>
/// How commands write (issue 29, and item 12 of issue 23): every check that reads the database runs inside the write
/// unit that writes, so a command's validator checks its input only; a handler that runs its own unit does its slow work
/// outside it, so its message does not also declare the whole handler transactional; and no feature opens a transaction.
/// </summary>
public sealed partial class WriteShapeTests
{
    private static readonly Type[] Types = typeof(Program).Assembly.GetTypes();

    [Fact]
    public void No_validator_of_a_command_reads_the_database()
    {
        var commandValidators = Types
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>) && IsCommand(i.GetGenericArguments()[0])))
            .ToList();
        var offenders = commandValidators
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => typeof(PortalDbContext).IsAssignableFrom(p.ParameterType))))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(commandValidators.Count > 20, $"only {commandValidators.Count} command validators found");
        Assert.True(offenders.Count == 0,
            "These command validators read the database, outside the write unit that writes: check it in the handler instead: " + string.Join(", ", offenders));
    }

    [Fact]
    public void A_handler_that_runs_its_own_write_unit_is_not_also_declared_transactional()
    {
        var offenders = Types
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(WriteUnit))))
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommandHandler<,>)).Select(i => (Handler: t, Message: i.GetGenericArguments()[0])))
            .Where(h => typeof(ITransactional).IsAssignableFrom(h.Message))
            .Select(h => $"{h.Handler.FullName} ({h.Message.Name})")
            .ToList();

        Assert.True(offenders.Count == 0, "These handlers run their own write unit for a message that also declares ITransactional, so their slow work would run inside the lock: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_feature_opens_a_transaction_of_its_own()
    {
        var features = Path.Combine(SourceRoot.Find(), "Features");
        var offenders = Directory.EnumerateFiles(features, "*.cs", SearchOption.AllDirectories)
            .Where(f => BeginsTransaction().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(features, f))
            .ToList();

        Assert.True(offenders.Count == 0, "These files open a transaction; declare ITransactional or use WriteUnit: " + string.Join(", ", offenders));
    }

    /// <summary>A command of the mediator (<c>ICommand</c> or <c>ICommand&lt;T&gt;</c>), not a query.</summary>
    private static bool IsCommand(Type message) =>
        message.GetInterfaces().Any(i => i.Namespace == "Mediator" && i.Name.StartsWith("ICommand", StringComparison.Ordinal));

    [GeneratedRegex(@"BeginTransaction(Async)?\s*\(")]
    private static partial Regex BeginsTransaction();
}
