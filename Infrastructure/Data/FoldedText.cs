using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Text compared the way the full-text indexes compare it: in lower case and without accents, so "cafe" finds
/// "Café". SQLite's own LIKE folds ASCII letters only; <see cref="Contains"/> is this folding as an SQL function, for
/// the rows a search checks one by one instead of through the index.
/// </summary>
public static class FoldedText
{
    public const string FunctionName = "portal_folded_contains";

    /// <summary>A row's text matches when it contains none but printable ASCII; only then LIKE's folding is the whole answer.</summary>
    public const string BeyondAsciiPattern = "*[^ -~]*";

    /// <summary>
    /// The base letter of each accented Latin letter from U+00C0 to U+017F, as the index's <c>remove_diacritics</c>
    /// folds them; letters with no decomposition (Æ, Ø, Ł, ß...) stay. The app runs with invariant globalization, where
    /// <see cref="string.Normalize()"/> decomposes nothing, hence the table.
    /// </summary>
    private const string LatinBases =
        "AAAAAA\u00C6CEEEEIIII\u00D0NOOOOO\u00D7\u00D8UUUUY\u00DE\u00DF"
        + "aaaaaa\u00E6ceeeeiiii\u00F0nooooo\u00F7\u00F8uuuuy\u00FEy"
        + "AaAaAaCcCcCcCcDd\u0110\u0111EeEeEeEeEeGgGgGgGgHh\u0126\u0127IiIiIiIiI\u0131\u0132\u0133JjKk\u0138LlLlLl"
        + "\u013F\u0140\u0141\u0142NnNnNn\u0149\u014A\u014BOoOoOo\u0152\u0153RrRrRrSsSsSsSsTtTt\u0166\u0167UuUuUuUuUuUuWwYyYZzZzZz\u017F";

    /// <summary><paramref name="text"/> in lower case with its letters' accents removed.</summary>
    public static string Fold(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text.ToLowerInvariant();
        }

        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= '\u0300' and <= '\u036F')
            {
                continue; // a combining accent, as in text written decomposed
            }

            folded.Append(char.ToLowerInvariant(c is >= '\u00C0' and <= '\u017F' ? LatinBases[c - '\u00C0'] : c));
        }

        return folded.ToString();
    }

    /// <summary>
    /// In a query: whether <paramref name="text"/>, folded, contains <paramref name="foldedTerm"/> (already folded).
    /// Runs in the database as <see cref="FunctionName"/> (mapped in <see cref="PortalDbContext"/>), registered on every
    /// SQLite connection by <see cref="Functions"/>.
    /// </summary>
    public static bool Contains(string text, string foldedTerm) => Fold(text).Contains(foldedTerm, StringComparison.Ordinal);

    /// <summary>Registers <see cref="FunctionName"/> on each SQLite connection EF Core creates; the connection keeps it across opens.</summary>
    public sealed class Functions : DbConnectionInterceptor
    {
        public static readonly Functions Instance = new();

        private Functions()
        {
        }

        public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
        {
            if (result is SqliteConnection sqlite)
            {
                Register(sqlite);
            }

            return result;
        }

        /// <summary>Registers <see cref="FunctionName"/> on a connection the app opens itself (<see cref="SqlitePreparedReads"/>).</summary>
        public static void Register(SqliteConnection connection) =>
            connection.CreateFunction(FunctionName, (string? text, string? term) => text is not null && term is not null && FoldedText.Contains(text, term), isDeterministic: true);
    }
}
