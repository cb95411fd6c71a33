using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Portal.Tests.Architecture;

/// <summary>
/// One naming scheme: a capability namespace holds use-case classes (<c>Portal.Features.Membership.InviteUser</c>), so a
/// name never repeats its namespace (<c>InviteUser.InviteUser</c>) and no file needs a <c>using X = …</c> alias to tell
/// two types apart.
/// </summary>
public sealed partial class NamingTests
{
    [Fact]
    public void No_type_is_named_after_its_namespace()
    {
        var offenders = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Portal", StringComparison.Ordinal) == true && t.GetCustomAttributes(typeof(CompilerGeneratedAttribute), false).Length == 0)
            .Where(t => t.Name == t.Namespace!.Split('.')[^1])
            .Select(t => t.FullName)
            .ToList();

        Assert.True(offenders.Count == 0, "These types repeat their namespace's name: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_source_file_needs_a_using_alias()
    {
        var root = SourceRoot.Find();
        var offenders = new[] { "Features", "Infrastructure", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => File.ReadLines(file).Any(line => UsingAlias().IsMatch(line)))
            .Select(file => Path.GetRelativePath(root, file))
            .ToList();

        Assert.True(offenders.Count == 0, "These files alias a type or namespace: " + string.Join(", ", offenders));
    }

    [GeneratedRegex(@"^\s*(global\s+)?using\s+\w+\s*=")]
    private static partial Regex UsingAlias();
}
