using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Portal.Infrastructure.Web;

/// <summary>A one-time message shown on the page after a redirect (post-redirect-get).</summary>
public static class Flash
{
    private const string Key = "flash";

    public static void Success(this ITempDataDictionary tempData, string message) => tempData[Key] = message;

    public static string? Take(this ITempDataDictionary tempData) => tempData[Key] as string;
}
