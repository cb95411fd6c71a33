using System.Globalization;
using System.Text;

namespace Portal.Features.Shared;

/// <summary>
/// Characters that change how a line reads rather than what it says: control characters (CR/LF forge log lines),
/// bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069, which make a name read backwards in a page or an
/// e-mail subject) and the line and paragraph separators (U+2028, U+2029). Forms refuse them; the activity log
/// encodes them whatever the caller passes.
/// </summary>
public static class PlainText
{
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u2028' or '\u2029';

    public static bool HasUnsafe(string? value) => value is not null && value.Any(IsUnsafe);

    /// <summary>The text with every unsafe character written as a visible <c>\uXXXX</c> escape.</summary>
    public static string Neutralise(string value)
    {
        if (!HasUnsafe(value))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (IsUnsafe(c))
            {
                text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
