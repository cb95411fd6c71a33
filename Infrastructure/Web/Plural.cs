namespace Portal.Infrastructure.Web;

/// <summary>A count with its noun in the right number: "1 client", "2 clients", never "2 client(s)".</summary>
public static class Plural
{
    public static string Of(int count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
