using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Portal.Features.Shared;

namespace Portal.Features.Support;

/// <summary>How the text of an inbound e-mail becomes a ticket message: quoted history cut off, HTML and enriched text
/// read as a person would, unsafe characters made visible, and the whole kept within its column.</summary>
public static partial class MailText
{
    /// <summary>
    /// The new part of a reply to a ticket: the text without a trailing quoted copy of the ticket's previous message.
    /// That copy is recognised by the "On … wrote:" line a mail program writes above it (followed only by
    /// "&gt;"-quoted or blank lines to the end), or by the portal's <see cref="Ticket.ReplyMarker"/>. Anything else stays:
    /// a "&gt;" quote in the middle of an answer, a line of underscores, a line that looks like a header, a forward.
    /// </summary>
    public static string TrimQuoted(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        var end = lines.Count;

        var marker = lines.FindIndex(l => l.TrimStart(' ', '>').Contains(Ticket.ReplyMarker, StringComparison.Ordinal));
        if (marker >= 0)
        {
            end = marker;
            var above = PreviousNonBlank(lines, end);
            if (above >= 0 && WroteHeaderStartsAt(lines, above) is { } header)
            {
                end = header;
            }
            else
            {
                // Above the marker, the header block some mail programs write over the message they copy (From:,
                // Sent:, Subject: …, under a rule): the marker says it heads the portal's own message.
                while (above >= 0 && CopiedHeader().IsMatch(lines[above]))
                {
                    end = above;
                    above--;
                }

                if (end < marker && above >= 0 && CopyRule().IsMatch(lines[above]))
                {
                    end = above;
                }
            }
        }
        else
        {
            var last = PreviousNonBlank(lines, end);
            var quoteStart = last + 1;
            while (quoteStart > 0 && (lines[quoteStart - 1].TrimStart().StartsWith('>') || lines[quoteStart - 1].Length == 0))
            {
                quoteStart--;
            }

            var header = PreviousNonBlank(lines, quoteStart);
            if (last >= 0 && quoteStart <= last && header >= 0 && WroteHeaderStartsAt(lines, header) is { } start)
            {
                end = start;
            }
        }

        return string.Join("\n", lines.Take(end)).Trim('\n', ' ', '\t');
    }

    private static int PreviousNonBlank(List<string> lines, int before)
    {
        var i = before - 1;
        while (i >= 0 && lines[i].Trim().Length == 0)
        {
            i--;
        }

        return i;
    }

    /// <summary>Where an "On … wrote:" header ending on line <paramref name="last"/> begins (mail programs wrap it over two lines), or null.</summary>
    private static int? WroteHeaderStartsAt(List<string> lines, int last)
    {
        var line = lines[last].Trim();
        if (WroteHeader().IsMatch(line))
        {
            return last;
        }

        if (last > 0 && WroteEnding().IsMatch(line) && WroteHeader().IsMatch(lines[last - 1].Trim() + " " + line))
        {
            return last - 1;
        }

        return null;
    }

    [GeneratedRegex(@"^(On\s.+\swrote|Am\s.+\sschrieb.*|Le\s.+\sa\s+écrit\s*|El\s.+\sescribió|Op\s.+\sschreef.*)\s*:$", RegexOptions.IgnoreCase)]
    private static partial Regex WroteHeader();

    [GeneratedRegex(@"(wrote|schrieb.*|écrit|escribió|schreef.*)\s*:$", RegexOptions.IgnoreCase)]
    private static partial Regex WroteEnding();

    [GeneratedRegex(@"^[\s>]*(From|Sent|To|Cc|Subject|Date|Von|Gesendet|An|Betreff|Datum|De|Envoyé|À|Objet)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex CopiedHeader();

    [GeneratedRegex(@"^[\s>]*(_{5,}|-{2,}\s*Original Message\s*-{2,})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex CopyRule();

    private static readonly string[] SkippedElements = ["head", "title", "script", "style", "template", "noscript", "object", "iframe", "svg", "math", "select"];

    private static readonly string[] BlockElements =
    [
        "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "address", "center", "figure", "figcaption",
        "form", "fieldset", "dl", "dt", "dd", "ul", "ol", "table", "thead", "tbody", "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
    ];

    /// <summary>
    /// The text of an HTML part as a mail program shows it: the head (and its title), scripts and styles left out, block
    /// elements and &lt;br&gt; as line breaks, table cells separated by " | ", list items marked, quotes prefixed with
    /// "&gt; ", a link's address after its text when they differ, runs of blank lines collapsed to one.
    /// </summary>
    public static string FromHtml(string html)
    {
        var document = new HtmlParser(new HtmlParserOptions { IsScripting = false }).ParseDocument(html);
        var text = new TextWriter();
        if (document.Body is { } body)
        {
            Render(body, text, preformatted: false);
        }

        return Collapse(text.ToString());
    }

    private static void Render(INode node, TextWriter text, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText data:
                    text.Write(data.Data, preformatted);
                    break;
                case IElement element:
                    RenderElement(element, text, preformatted);
                    break;
            }
        }
    }

    private static void RenderElement(IElement element, TextWriter text, bool preformatted)
    {
        var name = element.LocalName;
        if (SkippedElements.Contains(name) || element.GetAttribute("hidden") is not null)
        {
            return;
        }

        switch (name)
        {
            case "br":
                text.LineBreak();
                return;
            case "hr":
                text.EndLine();
                text.Write("-----", true);
                text.EndLine();
                return;
            case "img":
                if (element.GetAttribute("alt") is { Length: > 0 } alt && !string.IsNullOrWhiteSpace(alt))
                {
                    text.Write($"[{alt.Trim()}]", false);
                }

                return;
            case "td" or "th":
                if (element.PreviousElementSibling is not null)
                {
                    text.Write(" | ", true);
                }

                Render(element, text, preformatted);
                return;
            case "tr":
                text.EndLine();
                Render(element, text, preformatted);
                text.EndLine();
                return;
            case "li":
                text.EndLine();
                text.Write(element.ParentElement?.LocalName == "ol" ? $"{element.ParentElement.Children.TakeWhile(e => e != element).Count(e => e.LocalName == "li") + 1}. " : "- ", true);
                Render(element, text, preformatted);
                text.EndLine();
                return;
            case "pre":
                text.EndLine();
                Render(element, text, preformatted: true);
                text.EndLine();
                return;
            case "blockquote":
                var quoted = new TextWriter();
                Render(element, quoted, preformatted);
                text.EndLine();
                foreach (var line in Collapse(quoted.ToString()).Split('\n'))
                {
                    text.Write(line.Length == 0 ? ">" : "> " + line, true);
                    text.LineBreak();
                }

                return;
            case "a":
                var before = text.Length;
                Render(element, text, preformatted);
                var href = element.GetAttribute("href")?.Trim() ?? "";
                var shown = text.Since(before).Trim();
                if ((href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    && href.Length <= 500 && !shown.Equals(href, StringComparison.OrdinalIgnoreCase) && !href.EndsWith(shown, StringComparison.OrdinalIgnoreCase))
                {
                    text.Write($" ({href})", true);
                }

                return;
        }

        var block = BlockElements.Contains(name);
        if (block)
        {
            text.EndLine();
        }

        Render(element, text, preformatted);
        if (block)
        {
            text.EndLine();
            if (name is "table" or "ul" or "ol" or "blockquote" or "h1" or "h2" or "h3")
            {
                text.LineBreak();
            }
        }
    }

    /// <summary>Builds the text of an HTML part: whitespace of ordinary text collapsed, line breaks only where the markup puts them.</summary>
    private sealed class TextWriter
    {
        private readonly StringBuilder text = new();

        public int Length => text.Length;

        public string Since(int start) => text.ToString(start, text.Length - start);

        public void Write(string data, bool preformatted)
        {
            if (preformatted)
            {
                text.Append(data.Replace("\r\n", "\n").Replace('\r', '\n'));
                return;
            }

            foreach (var c in data)
            {
                if (char.IsWhiteSpace(c) && c != '\u00A0')
                {
                    if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                    {
                        text.Append(' ');
                    }
                }
                else
                {
                    text.Append(c == '\u00A0' ? ' ' : c);
                }
            }
        }

        /// <summary>Ends the current line unless it is empty.</summary>
        public void EndLine()
        {
            TrimSpaces();
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }
        }

        public void LineBreak()
        {
            TrimSpaces();
            text.Append('\n');
        }

        private void TrimSpaces()
        {
            while (text.Length > 0 && text[^1] == ' ')
            {
                text.Length--;
            }
        }

        public override string ToString() => text.ToString();
    }

    /// <summary>Lines without trailing spaces and runs of blank lines as one blank line.</summary>
    public static string Collapse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        var kept = new List<string>();
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0 && (kept.Count == 0 || kept[^1].Length == 0))
            {
                continue;
            }

            kept.Add(line.Trim().Length == 0 ? "" : line);
        }

        return string.Join("\n", kept).Trim('\n');
    }

    /// <summary>
    /// The text of a <c>text/enriched</c> (RFC 1896) or <c>text/richtext</c> part: formatting commands dropped,
    /// parameters skipped, "&lt;&lt;" read as "&lt;"; outside &lt;nofill&gt; a single line break is a space and n breaks are n-1.
    /// </summary>
    public static string FromEnriched(string enriched)
    {
        var text = new StringBuilder(enriched.Length);
        var (param, nofill) = (0, 0);
        var source = enriched.Replace("\r\n", "\n").Replace('\r', '\n');
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '<')
            {
                if (i + 1 < source.Length && source[i + 1] == '<')
                {
                    if (param == 0)
                    {
                        text.Append('<');
                    }

                    i++;
                    continue;
                }

                var close = source.IndexOf('>', i);
                if (close < 0)
                {
                    break;
                }

                var command = source[(i + 1)..close].Trim().ToLowerInvariant();
                var ending = command.StartsWith('/');
                switch (ending ? command[1..] : command)
                {
                    case "param":
                        param = Math.Max(0, param + (ending ? -1 : 1));
                        break;
                    case "nofill":
                        nofill = Math.Max(0, nofill + (ending ? -1 : 1));
                        break;
                    case "lt":
                        text.Append('<');
                        break;
                    case "nl":
                        text.Append('\n');
                        break;
                }

                i = close;
                continue;
            }

            if (param > 0)
            {
                continue;
            }

            if (c == '\n' && nofill == 0)
            {
                var run = 1;
                while (i + run < source.Length && source[i + run] == '\n')
                {
                    run++;
                }

                text.Append(run == 1 ? " " : new string('\n', run - 1));
                i += run - 1;
                continue;
            }

            text.Append(c);
        }

        return Collapse(text.ToString());
    }

    /// <summary>
    /// Line breaks and tabs stay; any other control, bidi or line-separator character is written as a visible escape,
    /// and a lone surrogate (which no database encoding can store) becomes U+FFFD. Cut at <paramref name="maxLength"/>,
    /// never inside a surrogate pair or an escape.
    /// </summary>
    public static string Clean(string text, int maxLength)
    {
        var clean = new StringBuilder(Math.Min(text.Length, maxLength) + 16);
        for (var i = 0; i < text.Length && clean.Length < maxLength; i++)
        {
            var c = text[i];
            string piece;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                piece = text.Substring(i++, 2);
            }
            else if (char.IsSurrogate(c))
            {
                piece = "\uFFFD";
            }
            else if (c is '\n' or '\t' || !PlainText.IsUnsafe(c))
            {
                piece = c.ToString();
            }
            else if (c == '\r')
            {
                continue;
            }
            else
            {
                piece = PlainText.Neutralise(c.ToString());
            }

            if (clean.Length + piece.Length > maxLength)
            {
                break;
            }

            clean.Append(piece);
        }

        return clean.ToString();
    }

    /// <summary>A header value (subject, name) on one line, with unsafe characters made visible, cut at <paramref name="maxLength"/>.</summary>
    public static string OneLine(string? text, int maxLength) =>
        Clean(Portal.Features.Support.Ticket.OneLine(text ?? ""), maxLength);

    /// <summary>
    /// The stored message: the text, cut when it does not fit with a note saying so, then the notes of what was not
    /// imported. The result is never longer than <paramref name="maxLength"/>, notes included.
    /// </summary>
    public static string Fit(string text, bool truncated, IReadOnlyList<string> notes, int maxLength)
    {
        var tail = string.Join("\n", notes.Select(n => Clean(Ticket.OneLine(n), maxLength / 4)));
        if (tail.Length > maxLength / 4)
        {
            tail = Clean(tail, maxLength / 4 - 1) + "…";
        }

        var room = maxLength - tail.Length - (tail.Length > 0 ? 2 : 0);
        var body = Clean(text.Trim(), int.MaxValue);
        if (truncated || body.Length > room)
        {
            var cut = $"\n\n[The message was cut here: it is longer than the {maxLength:N0} characters a ticket message holds. The whole e-mail is with the mail server.]";
            body = Clean(body, Math.Max(0, room - cut.Length)).TrimEnd() + cut;
        }

        var whole = tail.Length > 0 ? (body.Length > 0 ? body + "\n\n" + tail : tail) : body;
        return whole.Trim().Length > 0 ? whole.Trim() : "(no text)";
    }
}
