using System.Reflection;
using System.Text.RegularExpressions;
using Mediator;

namespace Portal.Tests.Architecture;

/// <summary>
/// Each use case lives in one folder (<c>Features/&lt;Capability&gt;/&lt;UseCase&gt;/</c> or
/// <c>Features/&lt;Capability&gt;/Admin/&lt;UseCase&gt;/</c>). Another folder may send its messages (a command or query
/// and the types they carry and answer) but never uses its internals: what several use cases share lives in a Shared
/// home (<c>Features/&lt;Capability&gt;/Shared/</c> or <c>Features/Shared/</c>). Infrastructure names no use case at all:
/// features register their jobs, verbs and services themselves (<c>Features/FeatureServices.cs</c>).
/// </summary>
public sealed partial class SliceBoundaryTests
{
    private static readonly string Root = SourceRoot.Find();

    [Fact]
    public void The_scan_sees_the_use_cases_and_their_messages()
    {
        Assert.True(UseCaseTypes.Count > 100, $"only {UseCaseTypes.Count} use-case types found");
        Assert.Contains("Command", ContractMembers["InviteUser"]);
        Assert.DoesNotContain("Validator", ContractMembers["InviteUser"]);
    }

    [Fact]
    public void No_feature_file_uses_another_use_case_except_through_its_messages()
    {
        var offences = FeatureFiles()
            .SelectMany(file => ForeignUses(file, HomeOf(file)))
            .ToList();

        Assert.True(offences.Count == 0,
            "These files reach into another use case's folder; send its message or move what they share to a Shared home:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Infrastructure_names_no_use_case()
    {
        var offences = Directory.EnumerateFiles(Path.Combine(Root, "Infrastructure"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => Identifiers(file)
                .Where(use => UseCaseTypes.ContainsKey(use.Type) && (use.Member is not null || !StaticUseCaseClasses.Contains(use.Type)))
                .Select(use => $"{Relative(file)}:{use.Line} {use.Type} ({UseCaseTypes[use.Type]})"))
            .ToList();

        Assert.True(offences.Count == 0, "Infrastructure must not name a use case; register it from the feature side:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void A_reach_into_another_use_case_is_caught()
    {
        var file = Path.Combine(Path.GetTempPath(), $"reach-{Guid.NewGuid():N}.cs");
        File.WriteAllText(file, "class X { void M() { var ok = new InviteUser.Command(); var bad = InviteUser.AlreadyAssociated; } }");
        try
        {
            var found = ForeignUses(file, "Features/Membership/ManagePermissions").ToList();
            Assert.Single(found);
            Assert.Contains("InviteUser.AlreadyAssociated", found[0]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Top-level types declared in a use-case folder, by name, with that folder.</summary>
    private static readonly Dictionary<string, string> UseCaseTypes = DeclaredTypes()
        .Where(t => IsUseCaseHome(t.Home))
        .GroupBy(t => t.Name)
        .ToDictionary(g => g.Key, g => g.First().Home);

    /// <summary>Top-level types of a use-case folder that its messages carry (an enum a command takes, say).</summary>
    private static readonly HashSet<string> ContractTopLevel = [];

    private static readonly HashSet<string> StaticUseCaseClasses = FeatureFiles()
        .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) && IsUseCaseHome(HomeOf(file)))
        .SelectMany(file => StaticClass().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>For each use-case class, the nested types that make up its messages: what another folder may name.</summary>
    private static readonly Dictionary<string, HashSet<string>> ContractMembers = BuildContracts();

    private static Dictionary<string, HashSet<string>> BuildContracts()
    {
        var contracts = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var types = typeof(Program).Assembly.GetTypes();
        foreach (var message in types.Where(t => typeof(IMessage).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface))
        {
            foreach (var type in Carried(message, []))
            {
                if (type.DeclaringType is { } outer && outer.Namespace?.StartsWith("Portal.Features", StringComparison.Ordinal) == true)
                {
                    var top = outer;
                    while (top.DeclaringType is not null)
                    {
                        top = top.DeclaringType;
                    }

                    if (!contracts.TryGetValue(top.Name, out var members))
                    {
                        contracts[top.Name] = members = new HashSet<string>(StringComparer.Ordinal);
                    }

                    members.Add(type.Name);
                }
                else if (type.DeclaringType is null && type.Namespace?.StartsWith("Portal.Features", StringComparison.Ordinal) == true)
                {
                    ContractTopLevel.Add(type.Name);
                }
            }
        }

        return contracts;
    }

    /// <summary>The message and every Portal type it carries or answers: properties, constructor parameters, results.</summary>
    private static IEnumerable<Type> Carried(Type type, HashSet<Type> seen)
    {
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(a => Carried(a, seen)))
            {
                yield return argument;
            }

            yield break;
        }

        if (type.IsArray)
        {
            foreach (var element in Carried(type.GetElementType()!, seen))
            {
                yield return element;
            }

            yield break;
        }

        if (type.Assembly != typeof(Program).Assembly || !seen.Add(type))
        {
            yield break;
        }

        yield return type;
        var related = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.PropertyType)
            .Concat(type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType))
            .Concat(type.GetInterfaces().Where(i => i.IsGenericType && i.Namespace == "Mediator").SelectMany(i => i.GetGenericArguments()));
        if (type.BaseType is { } baseType)
        {
            related = related.Append(baseType);
        }

        foreach (var next in related.SelectMany(r => Carried(r, seen)))
        {
            yield return next;
        }
    }

    private static IEnumerable<string> ForeignUses(string file, string home)
    {
        // A type the file declares itself (a nested Register command, say) hides a use case of the same name.
        var local = NestedType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var use in Identifiers(file))
        {
            if (local.Contains(use.Type) || !UseCaseTypes.TryGetValue(use.Type, out var owner) || owner == home || !IsUseCaseHome(home) && !IsSharedHome(home))
            {
                continue;
            }

            // A use case's static class named alone is a word more often than a reference (a method called Register, the
            // text "Login" in a view); what matters is its members, checked below.
            var allowed = use.Member is null
                ? ContractTopLevel.Contains(use.Type) || StaticUseCaseClasses.Contains(use.Type)
                : ContractMembers.TryGetValue(use.Type, out var members) && members.Contains(use.Member);
            if (!allowed)
            {
                yield return $"{Relative(file)}:{use.Line} {use.Type}{(use.Member is null ? "" : "." + use.Member)} (from {owner})";
            }
        }
    }

    private sealed record Use(int Line, string Type, string? Member);

    private static IEnumerable<Use> Identifiers(string file)
    {
        var lines = File.ReadAllLines(file);
        var razor = file.EndsWith(".cshtml", StringComparison.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = WithoutTextAndComments(lines[i], razor);
            foreach (Match match in TypeUse().Matches(line))
            {
                var type = match.Groups["type"].Value;
                if (UseCaseTypes.ContainsKey(type))
                {
                    yield return new Use(i + 1, type, match.Groups["member"].Success ? match.Groups["member"].Value : null);
                }
            }
        }
    }

    private static string WithoutTextAndComments(string line, bool razor)
    {
        var code = line.TrimStart();
        if (code.StartsWith("//", StringComparison.Ordinal) || code.StartsWith("@*", StringComparison.Ordinal) || code.StartsWith('*'))
        {
            return "";
        }

        // In a view, code sits inside quoted attributes (action="@GuestTicketLink.PathFor(…)"), so quotes are kept there.
        return razor ? line : LineComment().Replace(StringLiteral().Replace(line, "\"\""), "");
    }

    private static IEnumerable<string> FeatureFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "Features"), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(file => Path.GetFileName(file) != "FeatureServices.cs");

    private sealed record Declared(string Name, string Home);

    private static IEnumerable<Declared> DeclaredTypes() =>
        FeatureFiles()
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => TopLevelType().Matches(File.ReadAllText(file)).Select(m => new Declared(m.Groups["name"].Value, HomeOf(file))));

    /// <summary><c>Features/Membership/InviteUser</c>, <c>Features/Billing/Admin/AdminOrder</c>, <c>Features/Billing/Shared</c>, <c>Features/Shared</c>.</summary>
    private static string HomeOf(string file)
    {
        var parts = Relative(file).Split('/');
        if (parts.Length < 3)
        {
            return string.Join('/', parts[..^1]);
        }

        var depth = parts[2] == "Admin" && parts.Length > 4 ? 4 : parts[1] == "Shared" ? 2 : 3;
        return string.Join('/', parts[..Math.Min(depth, parts.Length - 1)]);
    }

    private static bool IsSharedHome(string home) => home == "Features/Shared" || home.EndsWith("/Shared", StringComparison.Ordinal);

    private static bool IsUseCaseHome(string home) => home.StartsWith("Features/", StringComparison.Ordinal) && !IsSharedHome(home) && home.Count(c => c == '/') >= 2;

    private static string Relative(string file) => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|partial|readonly)\s+)*(?:class|record struct|record|enum|interface|struct)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"^\s+(?:(?:public|internal|private|protected|sealed|static|abstract|partial|readonly)\s+)*(?:class|record struct|record|enum|interface|struct)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex NestedType();

    [GeneratedRegex(@"^(?:public|internal)\s+static\s+(?:partial\s+)?class\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex StaticClass();

    [GeneratedRegex(@"(?<![\w.])(?<type>[A-Z]\w*)(?:\.(?<member>[A-Z]\w*))?")]
    private static partial Regex TypeUse();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("//.*$")]
    private static partial Regex LineComment();
}
