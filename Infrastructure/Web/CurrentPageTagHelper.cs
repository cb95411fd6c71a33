using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Marks the menu link of the page being shown: a <c>nav-link</c> or a menu group's <c>dropdown-item</c> whose <c>asp-page</c> is the current page gets
/// <c>aria-current="page"</c> (screen readers say "current page"; site.css underlines it), so no menu has to remember it.
/// </summary>
[HtmlTargetElement("a", Attributes = "asp-page")]
public sealed class CurrentPageTagHelper : TagHelper
{
    [HtmlAttributeName("asp-page")]
    public string? Page { get; set; }

    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output) => MarkIfCurrent(output, ViewContext, Page);

    /// <summary>Gives a menu link (<c>nav-link</c>, <c>dropdown-item</c>) to <paramref name="page"/> <c>aria-current="page"</c> when that page is being shown.</summary>
    internal static void MarkIfCurrent(TagHelperOutput output, ViewContext viewContext, string? page)
    {
        var classes = output.Attributes["class"]?.Value?.ToString() ?? "";
        if (classes.Split(' ').Any(c => c is "nav-link" or "dropdown-item") && viewContext.ActionDescriptor is PageActionDescriptor current
            && string.Equals(current.ViewEnginePath, page, StringComparison.Ordinal))
        {
            output.Attributes.SetAttribute("aria-current", "page");
        }
    }
}
