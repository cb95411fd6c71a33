using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Marks every form control whose field has an error: <c>aria-invalid</c> and <c>aria-describedby</c> naming the
/// error message (<see cref="FieldErrorTagHelper"/>) for screen readers, and Bootstrap's <c>is-invalid</c> for sight,
/// so that no form has to remember it.
/// </summary>
[HtmlTargetElement("input", Attributes = "name")]
[HtmlTargetElement("select", Attributes = "name")]
[HtmlTargetElement("textarea", Attributes = "name")]
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class InvalidFieldTagHelper : TagHelper
{
    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>
    /// The full name of a group the field belongs to, whose error marks it too (<c>Input.Lines</c> for each line's
    /// quantity when no product was chosen): a form that says "correct the highlighted fields" then highlights some.
    /// </summary>
    [HtmlAttributeName("error-group")]
    public string? ErrorGroup { get; set; }

    // After MVC's asp-for helpers, which write the name this one reads.
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = output.Attributes["name"]?.Value?.ToString();
        var errors = new[] { name, ErrorGroup }
            .Where(key => !string.IsNullOrEmpty(key) && ViewContext.ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0)
            .Select(key => FieldErrorTagHelper.IdFor(key!))
            .ToList();
        if (errors.Count == 0)
        {
            return;
        }

        output.Attributes.SetAttribute("aria-invalid", "true");
        var describedBy = Text(output.Attributes["aria-describedby"]);
        var error = string.Join(' ', errors);
        output.Attributes.SetAttribute("aria-describedby", string.IsNullOrEmpty(describedBy) ? error : $"{error} {describedBy}");

        // AddClass keeps the classes other tag helpers set, which may be HTML content rather than a string.
        output.AddClass("is-invalid", HtmlEncoder.Default);
    }

    /// <summary>An attribute's value as text, whether a string or HTML content another tag helper wrote.</summary>
    private static string? Text(TagHelperAttribute? attribute)
    {
        switch (attribute?.Value)
        {
            case null:
                return null;
            case string text:
                return text;
            case IHtmlContent html:
                using (var writer = new StringWriter())
                {
                    html.WriteTo(writer, NullHtmlEncoder.Default);
                    return writer.ToString();
                }

            default:
                return attribute.Value.ToString();
        }
    }
}
