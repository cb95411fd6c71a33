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

    /// <summary>
    /// The same search with each indexed term cut to the four characters the full-text index most likely holds for
    /// few entries, for a first look-up whose matches are then checked against the whole terms. A trigram index pays
    /// for every trigram of a term in every entry that holds it: in <c>user42@</c>, "use" and "ser" are in most entries
    /// of a log and "r42@" in a handful. Digits and punctuation are the rare characters; a term with none of them (or
    /// with any character beyond ASCII, whose folding could shorten it) stays whole.
    /// </summary>
    public SearchTerms Narrowed() => new([.. All.Select(Narrow)]);

    private static string Narrow(string term)
    {
        const int width = IndexedLength + 1;
        if (term.Length <= width || !Ascii.IsValid(term))
        {
            return term;
        }

        static int Rare(char c) => char.IsAsciiLetter(c) || char.IsWhiteSpace(c) ? 0 : 1;
        var best = 0;
        var bestScore = 0;
        for (var start = 0; start + width <= term.Length; start++)
        {
            var score = 0;
            for (var i = start; i < start + width; i++)
            {
                score += Rare(term[i]);
            }

            if (score > bestScore)
            {
                (best, bestScore) = (start, score);
            }
        }

        return bestScore == 0 ? term : term.Substring(best, width);
    }

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
