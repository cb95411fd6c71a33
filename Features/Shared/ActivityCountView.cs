using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Web;
using Portal.Features.Activity;

namespace Portal.Features.Shared;

/// <summary>What both activity pages say above their entries (<c>_ActivityCount</c>): how many match, or how far a search read a window at a time has got.</summary>
public sealed record ActivityCountView(ListCount Total, SearchWindow? Window, int Found)
{
    public static ActivityCountView Of<T>(ActivityPage<T> page) => new(page.Entries.Total, page.Window, page.Entries.Items.Count);
}
