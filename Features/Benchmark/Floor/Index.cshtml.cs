using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Benchmark;

/// <summary>
/// The benchmark's floor: a signed-in page of the client area with its layout, navigation and access check, and no
/// query of its own. It is routed only when <c>Benchmark:FloorPage</c> is true; every benchmark figure is read against it.
/// </summary>
[RequireAccount]
public sealed class FloorPage(AccountContext account) : PageModel
{
    public const string SettingKey = "Benchmark:FloorPage";

    public string AccountName => account.RequireAccount().DisplayName;

    public void OnGet()
    {
    }
}
