using System.Text;

namespace Portal.Infrastructure.Data;

/// <summary>
/// What someone typed into a search box, read as terms that must all appear: each word, or each "quoted phrase" with
/// its spaces. Everything else is text: a stray quote, <c>*</c>, <c>-</c>, <c>NEAR</c>, <c>%</c> or <c>_</c> is
/// looked for literally, so no input can be mistaken for query syntax.
/// </summary>
public sealed class SearchTerms
{
    public const int MaxLength = 200;
    public const int MaxTerms = 8;

    /// <summary>The full-text indexes are built from trigrams: a shorter term cannot be looked up in them.</summary>
    public const int IndexedLength = 3;

    private SearchTerms(IReadOnlyList<string> terms) => All = terms;

    public IReadOnlyList<string> All { get; }

    public bool IsEmpty => All.Count == 0;

    /// <summary>Terms long enough for the full-text index.</summary>
    public IEnumerable<string> Indexed => All.Where(t => t.EnumerateRunes().Count() >= IndexedLength);

    /// <summary>Terms too short for the index, matched by scanning instead.</summary>
    public IEnumerable<string> Short => All.Where(t => t.EnumerateRunes().Count() < IndexedLength);

    /// <summary>
    /// An FTS5 query in which every term is one quoted string (quotes doubled), so the engine reads none of the
    /// user's characters as an operator; with the trigram tokenizer, a quoted string matches as a substring.
    /// </summary>
    public string? FullTextQuery =>
        Indexed.Any() ? string.Join(" AND ", Indexed.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"")) : null;

    public static SearchTerms Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new SearchTerms([]);
        }

        text = text.Length > MaxLength ? text[..MaxLength] : text;
        var terms = new List<string>();
        var quotes = text.Count(c => c == '"');
        var term = new StringBuilder();
        var inPhrase = false;
        var quotesSeen = 0;
        foreach (var c in text)
        {
            if (c == '"' && (inPhrase || quotesSeen < quotes - quotes % 2))
            {
                // A balanced pair of quotes opens and closes a phrase; an unmatched last quote is kept as text.
                quotesSeen++;
                Flush(terms, term);
                inPhrase = !inPhrase;
            }
            else if (char.IsControl(c) || (!inPhrase && char.IsWhiteSpace(c)))
            {
                quotesSeen += c == '"' ? 1 : 0;
                Flush(terms, term);
            }
            else
            {
                quotesSeen += c == '"' ? 1 : 0;
                term.Append(c);
            }
        }

        Flush(terms, term);
        return new SearchTerms([.. terms.Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxTerms)]);
    }

    private static void Flush(List<string> terms, StringBuilder term)
    {
        var value = term.ToString().Trim();
        if (value.Length > 0)
        {
            terms.Add(value);
        }

        term.Clear();
    }
}
