using System.Text.RegularExpressions;

namespace Portal.Features.Activity;

/// <summary>
/// How a log entry reads on a page. The stored description keeps the log's own notation (permission lists in braces as
/// SPEC §9 words them, "(#12)" after a client's name, unsafe characters as visible <c>\uXXXX</c> escapes), which the CSV
/// export and the search use; people read the lists as words, and a client's users read no ids.
/// </summary>
public static partial class ActivityText
{
    /// <summary>For the admin's log: lists as words ("{A, B, C}" → "A, B and C"); ids stay, admins work with them.</summary>
    public static string ForAdmins(string description) => Lists().Replace(description, m => Words(m.Groups[1].Value));

    /// <summary>For an account's own activity: lists as words, no "(#id)", line breaks as " / ".</summary>
    public static string ForClients(string description) =>
        Ids().Replace(ForAdmins(description), "").Replace("\\u000D\\u000A", " / ", StringComparison.Ordinal).Replace("\\u000A", " / ", StringComparison.Ordinal);

    private static string Words(string list)
    {
        var items = list.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items switch
        {
            [] => "none",
            [var one] => one,
            _ => $"{string.Join(", ", items[..^1])} and {items[^1]}",
        };
    }

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Lists();

    [GeneratedRegex(@" \(#\d+\)")]
    private static partial Regex Ids();
}
