using System.Reflection;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;

namespace Portal.Tests.Architecture;

/// <summary>Pages bind, send one message and redirect or render: none of them reaches the database itself.</summary>
public sealed class PageShapeTests
{
    private static readonly Type[] Pages = typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract)
        .ToArray();

    [Fact]
    public void The_portal_has_pages_to_check() => Assert.True(Pages.Length > 30, $"only {Pages.Length} page models found");

    [Fact]
    public void No_page_model_takes_the_database_context()
    {
        var offenders = Pages
            .SelectMany(page => page.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Where(ctor => ctor.GetParameters().Any(p => typeof(PortalDbContext).IsAssignableFrom(p.ParameterType)))
                .Select(_ => page.FullName))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, "These pages take PortalDbContext; send a message instead: " + string.Join(", ", offenders));
    }
}
