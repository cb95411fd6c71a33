using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Portal.Infrastructure.Web;

/// <summary>
/// The message shown beside a field: <c>&lt;span class="text-danger" field-error-for="Input.Email"&gt;</c> renders the
/// field's first error and always carries <c>data-valmsg-for</c> with the field's name. MVC's <c>asp-validation-for</c>
/// drops that attribute (and the empty span's anchor) when client-side validation is off, which it is here: the
/// portal validates on the server only. A shown error gets the id <see cref="IdFor"/>, which
/// <see cref="InvalidFieldTagHelper"/> names in the field's <c>aria-describedby</c>, so a screen reader reads the
/// error with the field.
/// </summary>
[HtmlTargetElement("span", Attributes = "field-error-for")]
public sealed class FieldErrorTagHelper : TagHelper
{
    [HtmlAttributeName("field-error-for")]
    public ModelExpression For { get; set; } = null!;

    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        output.Attributes.SetAttribute("data-valmsg-for", name);
        if (ViewContext.ModelState.TryGetValue(name, out var entry) && entry.Errors.Count > 0)
        {
            output.Content.SetContent(entry.Errors[0].ErrorMessage);
            if (!output.Attributes.ContainsName("id"))
            {
                output.Attributes.SetAttribute("id", IdFor(name));
            }
        }
    }

    /// <summary>The id of the error message of the field named <paramref name="fullName"/> (Input.Email → Input_Email-error).</summary>
    public static string IdFor(string fullName) => TagBuilder.CreateSanitizedId(fullName, "_") + "-error";
}
