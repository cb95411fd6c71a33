using System.Text;
using System.Text.RegularExpressions;
using Portal.Infrastructure.Data;
using Portal.Features.Shared;

namespace Portal.Features.Support;

/// <summary>How the text of an inbound e-mail becomes a ticket message: quoted history cut off, unsafe characters made visible.</summary>
public static partial class MailText
{
    /// <summary>
    /// The new part of a reply: everything before the first "On … wrote:" line, "-----Original Message-----" or
    /// "From:" header block of the quoted mail, without "&gt;"-quoted lines.
    /// </summary>
    public static string TrimQuoted(string text)
    {
        var kept = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            if (QuoteHeader().IsMatch(line))
            {
                break;
            }

            if (!line.TrimStart().StartsWith('>'))
            {
                kept.Add(line.TrimEnd());
            }
        }

        return string.Join("\n", kept).Trim();
    }

    /// <summary>The text of an HTML-only mail: tags dropped, scripts and styles skipped, block ends and &lt;br&gt; as line breaks.</summary>
    public static string FromHtml(string html)
    {
        var text = new StringBuilder();
        var skipping = false;
        var tokenizer = new MimeKit.Text.HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case MimeKit.Text.HtmlTagToken tag when tag.Name is "script" or "style":
                    skipping = !tag.IsEndTag && !tag.IsEmptyElement;
                    break;
                case MimeKit.Text.HtmlTagToken tag when tag.Name is "br" || (tag.IsEndTag && tag.Name is "p" or "div" or "li" or "tr" or "h1" or "h2" or "h3" or "blockquote"):
                    text.Append('\n');
                    break;
                case MimeKit.Text.HtmlDataToken data when !skipping:
                    text.Append(data.Data);
                    break;
            }
        }

        return BlankLines().Replace(text.ToString(), "\n\n").Trim();
    }

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();

    /// <summary>Line breaks and tabs stay; any other control, bidi or line-separator character is written as a visible escape.</summary>
    public static string Clean(string text, int maxLength)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\t' || !PlainText.IsUnsafe(c))
            {
                clean.Append(c);
            }
            else if (c != '\r')
            {
                clean.Append(PlainText.Neutralise(c.ToString()));
            }
        }

        return clean.Length > maxLength ? clean.ToString(0, maxLength) : clean.ToString();
    }

    /// <summary>A header value (subject, name) on one line, with unsafe characters made visible.</summary>
    public static string OneLine(string? text, int maxLength)
    {
        var line = PlainText.Neutralise(Portal.Features.Support.Ticket.OneLine(text ?? ""));
        return line.Length > maxLength ? line[..maxLength] : line;
    }

    [GeneratedRegex(@"^\s*(On\s.+wrote:|-{2,}\s*Original Message\s*-{2,}|_{5,}|From:\s.+@.+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteHeader();
}
