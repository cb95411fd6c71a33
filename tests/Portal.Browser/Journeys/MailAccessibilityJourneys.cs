using System.Collections;
using System.Reflection;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Portal.Browser.Infrastructure;
using Portal.Infrastructure.Email.Templates;

namespace Portal.Browser.Journeys;

/// <summary>
/// Every kind of e-mail the portal sends is read by someone with a screen reader too: the HTML of each template, rendered
/// by the one mail layout with sample values, passes axe-core's WCAG 2.2 AA rules in Chromium, as every page does.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MailAccessibilityJourneys(BrowserFixture browser)
{
    private static readonly string AxeSource = new BundledAxeScriptProvider().GetScript();

    public static IEnumerable<Type> Templates { get; } = typeof(IMailTemplate).Assembly.GetTypes()
        .Where(t => typeof(IMailTemplate).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .OrderBy(t => t.Name)
        .ToList();

    [Fact]
    public async Task The_html_of_every_mail_kind_passes_the_accessibility_rules()
    {
        Assert.True(Templates.Count() >= 30, $"only {Templates.Count()} mail templates were found");
        await using var context = await browser.Chromium.NewContextAsync(new() { Locale = "en-GB", JavaScriptEnabled = true });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        foreach (var template in Templates)
        {
            var mail = (IMailTemplate)Sample(template, template.Name);
            var html = MailLayout.Render(mail, new MailBrand("Harbour Hosting", Now: new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero))).Html;
            Assert.Contains("<html lang=", html);
            await page.SetContentAsync(html);
            await page.AddScriptTagAsync(new() { Content = AxeSource });
            var violations = await page.EvaluateAsync<JsonElement>("""
                async () => (await axe.run(document, {
                    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                    resultTypes: ['violations'],
                })).violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
                """);
            problems.AddRange(violations.EnumerateArray().Select(v => $"{template.Name}: {v.GetString()}"));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A template filled with plausible values of each parameter's type: text, links, amounts, dates, lists of one.</summary>
    private static object Sample(Type type, string name, int depth = 0)
    {
        if (depth > 4)
        {
            throw new InvalidOperationException($"{name}: too deep to sample");
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Sample(inner, name, depth);
        }

        if (type == typeof(string))
        {
            return name.Contains("Link", StringComparison.OrdinalIgnoreCase) || name.Contains("Url", StringComparison.OrdinalIgnoreCase)
                ? "https://portal.example.test/link/abc123"
                : name.Contains("Email", StringComparison.OrdinalIgnoreCase) || name.EndsWith("To", StringComparison.Ordinal)
                    ? "ada@example.test"
                    : $"Sample {name}\nsecond line";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return Convert.ChangeType(3, type);
        }

        if (type == typeof(decimal))
        {
            return 12.50m;
        }

        if (type == typeof(double))
        {
            return 1.5;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 12, 14, 9, 30, 0, TimeSpan.Zero);
        }

        if (type == typeof(DateOnly))
        {
            return new DateOnly(2026, 12, 14);
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromHours(1);
        }

        if (type == typeof(Guid))
        {
            return Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0)!;
        }

        if (type.IsArray || (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type)))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            var list = Array.CreateInstance(element, 1);
            list.SetValue(Sample(element, name, depth + 1), 0);
            return list;
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{name}: {type.Name} has no public constructor to sample");
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Sample(p.ParameterType, p.Name ?? name, depth + 1))]);
    }
}
