namespace Portal.Infrastructure.Web;

/// <summary>A count with its noun in the right number: "1 client", "2 clients", never "2 client(s)".</summary>
public static class Plural
{
    public static string Of(int count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>A list's count, which past the counting limit reads "more than 1,000 clients".</summary>
    public static string Of(ListCount count, string singular, string? plural = null) =>
        $"{count} {(count is { Value: 1, IsLowerBound: false } ? singular : plural ?? singular + "s")}";
}
