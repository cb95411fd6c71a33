using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Portal.Infrastructure.Web;

/// <summary>
/// A link to a page without route values: <c>&lt;a class="nav-link" page-href="/Billing/ListInvoices/Index"&gt;</c>, as
/// the menus and the dashboard's tiles have. Such a page has one address, so it is worked out once per app
/// (<see cref="PagePaths"/>) instead of by the link generator for each of a page's twenty-odd links on every request
/// (<c>asp-page</c> stays for links with route values). A menu link to the page being shown gets <c>aria-current="page"</c>
/// (screen readers say "current page"; site.css underlines it), as <see cref="CurrentPageTagHelper"/> marks other links.
/// </summary>
[HtmlTargetElement("a", Attributes = "page-href")]
public sealed class PageHrefTagHelper(PagePaths paths) : TagHelper
{
    [HtmlAttributeName("page-href")]
    public string Page { get; set; } = "";

    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var request = ViewContext.HttpContext.Request;
        output.Attributes.SetAttribute("href", request.PathBase.Add(paths.Of(Page)).Value);
        CurrentPageTagHelper.MarkIfCurrent(output, ViewContext, Page);
    }
}

/// <summary>The address of each page linked with <c>page-href</c>, worked out by the link generator the first time it is asked for.</summary>
public sealed class PagePaths(LinkGenerator links)
{
    private readonly ConcurrentDictionary<string, PathString> _paths = new(StringComparer.Ordinal);

    public PathString Of(string page) => _paths.GetOrAdd(page, name =>
        links.GetPathByPage(name) is { } path ? new PathString(path) : throw new InvalidOperationException($"No page {name} to link to."));
}
