using System.Text;

namespace Portal.Features.Support;

/// <summary>
/// Whether the receiving mail server vouches for the From address of an inbound message (RFC 8601
/// <c>Authentication-Results</c>). Only the first such header written under the configured authserv-id counts (the
/// receiving server adds its own on top and must remove any that arrive with its id), and it must report DKIM pass
/// for the From domain (or a parent of it, or a subdomain: relaxed alignment), SPF pass for an envelope sender in that
/// domain, or DMARC pass for exactly that domain. Anything else, and every message while no authserv-id is
/// configured, is unverified: the From address is then only a claim.
/// </summary>
public static class MailAuthentication
{
    public static bool Verifies(IReadOnlyList<string> authenticationResults, string fromAddress, int fromCount, string? trustedAuthServId)
    {
        if (string.IsNullOrWhiteSpace(trustedAuthServId) || fromCount != 1)
        {
            return false;
        }

        var at = fromAddress.LastIndexOf('@');
        if (at < 1 || at == fromAddress.Length - 1)
        {
            return false;
        }

        var fromDomain = Domain(fromAddress[(at + 1)..]);
        foreach (var header in authenticationResults)
        {
            var statements = WithoutComments(header).Split(';');
            var id = statements[0].Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (!id.Equals(trustedAuthServId.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return statements.Skip(1).Any(statement => Passes(statement, fromDomain));
        }

        return false;
    }

    /// <summary>One "method=result property=value …" statement: a pass of DKIM, SPF or DMARC aligned with the From domain.</summary>
    private static bool Passes(string statement, string fromDomain)
    {
        var words = statement.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0].Split('=') is not [var method, var result] || !result.Equals("pass", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var properties = words.Skip(1).Select(w => w.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First()[1].Trim('"'));
        return method.ToLowerInvariant() switch
        {
            "dkim" => (properties.TryGetValue("header.d", out var d) && Aligned(Domain(d), fromDomain))
                || (properties.TryGetValue("header.i", out var i) && i.LastIndexOf('@') is var a && a >= 0 && Aligned(Domain(i[(a + 1)..]), fromDomain)),
            "spf" => properties.TryGetValue("smtp.mailfrom", out var mailFrom) && Aligned(Domain(mailFrom[(mailFrom.LastIndexOf('@') + 1)..]), fromDomain),
            "dmarc" => properties.TryGetValue("header.from", out var headerFrom) && Domain(headerFrom) == fromDomain,
            _ => false,
        };
    }

    /// <summary>Relaxed alignment without a public-suffix list: the same domain, or one a parent of the other, never a bare top-level domain.</summary>
    private static bool Aligned(string domain, string fromDomain) =>
        domain.Contains('.') && fromDomain.Contains('.')
        && (domain == fromDomain || fromDomain.EndsWith("." + domain, StringComparison.Ordinal) || domain.EndsWith("." + fromDomain, StringComparison.Ordinal));

    private static string Domain(string value) => value.Trim().Trim('<', '>', '"').TrimEnd('.').ToLowerInvariant();

    private static string WithoutComments(string header)
    {
        var text = new StringBuilder(header.Length);
        var (depth, quoted) = (0, false);
        foreach (var c in header)
        {
            if (c == '"' && depth == 0)
            {
                quoted = !quoted;
            }

            if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
