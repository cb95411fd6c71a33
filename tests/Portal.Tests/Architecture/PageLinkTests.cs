using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.Hosting;

namespace Portal.Tests.Architecture;

/// <summary>
/// Page names are strings (<c>asp-page</c>, <c>RedirectToPage</c>, <c>Url.Page</c>, partial views by path): a page that
/// moves or is renamed leaves them pointing nowhere, and the framework only says so when someone follows the link.
/// Every such string in the product's source must name a page, a view or a folder of pages the build compiled.
/// </summary>
public sealed partial class PageLinkTests
{
    private static readonly IReadOnlyList<RazorCompiledItemAttribute> Compiled =
        typeof(Program).Assembly.GetCustomAttributes<RazorCompiledItemAttribute>().ToList();

    private static readonly HashSet<string> Pages = Compiled
        .Where(item => item.Kind == "mvc.1.0.razor-page")
        .Select(item => PageName(item.Identifier))
        .ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> Views = Compiled.Select(item => item.Identifier).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_build_has_pages_and_the_source_has_page_names_to_check()
    {
        Assert.True(Pages.Count > 60, $"only {Pages.Count} compiled pages found");
        Assert.True(PageNameLiterals().Count() > 150, "the source scan found too few page names; is the source root right?");
    }

    [Fact]
    public void Every_page_name_in_the_source_names_a_compiled_page_view_or_folder()
    {
        var broken = PageNameLiterals()
            .Where(literal => !Resolves(literal.Value))
            .Select(literal => $"{literal.File}:{literal.Line} \"{literal.Value}\"")
            .ToList();

        Assert.True(broken.Count == 0, "These page names point nowhere:\n" + string.Join("\n", broken));
    }

    [Theory]
    [InlineData("/Nowhere/Index")]
    [InlineData("/Features/Shared/_Nothing.cshtml")]
    public void A_name_that_points_nowhere_is_caught(string name) => Assert.False(Resolves(name));

    private static bool Resolves(string name)
    {
        if (name.EndsWith(".cshtml", StringComparison.Ordinal))
        {
            return Views.Contains(name);
        }

        // A folder named in a convention (the Razor root, an authorization folder) must hold at least one page.
        return Pages.Contains(name)
            || name == "/Features"
            || Pages.Any(page => page.StartsWith(name + "/", StringComparison.Ordinal));
    }

    private static string PageName(string identifier) =>
        identifier["/Features".Length..^".cshtml".Length];

    private sealed record Literal(string File, int Line, string Value);

    private static IEnumerable<Literal> PageNameLiterals()
    {
        var root = SourceRoot.Find();
        var files = new[] { "Features", "Infrastructure" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories))
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Append(Path.Combine(root, "Program.cs"));
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in PageNameLiteral().Matches(lines[i]))
                {
                    yield return new Literal(Path.GetRelativePath(root, file), i + 1, match.Groups["name"].Value);
                }
            }
        }
    }

    /// <summary>A quoted absolute page name: a slash and a capitalised segment, as "/Membership/InviteUser/Index".</summary>
    [GeneratedRegex("\"(?<name>/[A-Z][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*(?:\\.cshtml)?)\"")]
    private static partial Regex PageNameLiteral();
}
