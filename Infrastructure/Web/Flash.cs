using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Portal.Infrastructure.Web;

/// <summary>A one-time message shown on the page after a redirect (post-redirect-get).</summary>
public static class Flash
{
    private const string Key = "flash";
    private const string WarningKey = "flash-warning";

    public static void Success(this ITempDataDictionary tempData, string message) => tempData[Key] = message;

    public static void Warning(this ITempDataDictionary tempData, string message) => tempData[WarningKey] = message;

    public static string? Take(this ITempDataDictionary tempData) => tempData[Key] as string;

    public static string? TakeWarning(this ITempDataDictionary tempData) => tempData[WarningKey] as string;
}
