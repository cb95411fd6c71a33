using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Text;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Support;

/// <summary>
/// What the import needs of one inbound e-mail, read before any transaction opens: the sender, the recipients, the
/// subject, the Message-ID, the receiving server's authentication results and the text of every text part in order
/// (forwarded messages as quoted blocks with their headers), with a note of every part that was not imported. Bounded:
/// the parser keeps the raw message's parts where they lie (nothing is copied per part) and reads at most
/// <see cref="MaxTextChars"/> characters of text, so a 25 MB message needs little more memory than its own bytes.
/// </summary>
public sealed record InboundMessage(
    string FromAddress,
    string FromName,
    int FromCount,
    string? Subject,
    IReadOnlyList<string> Recipients,
    string? MessageId,
    string? AutomaticReason,
    IReadOnlyList<string> AuthenticationResults,
    string Text,
    bool Truncated,
    IReadOnlyList<string> NotImported)
{
    /// <summary>The most text read from one message: more than a ticket message holds, so that trimming a quote still leaves a full message.</summary>
    public const int MaxTextChars = 100_000;

    /// <summary>The most HTML read from one HTML part before it is converted.</summary>
    public const int MaxHtmlChars = 400_000;

    private const int MaxDepth = 8;
    private const int MaxAuthenticationResults = 20;

    static InboundMessage() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes the legacy code pages (windows-125x, KOI8-R, GB2312, Big5, EUC-KR, Shift_JIS, ISO-2022-JP …) known to .NET and so to MimeKit.</summary>
    public static void RegisterEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// The key that decides whether a message was imported already: a hash of the whole Message-ID (two ids that share
    /// their first 400 characters are two messages) and the sender's address (so that nobody can block another
    /// sender's message by sending its id first).
    /// </summary>
    public string? MessageKey =>
        MessageId is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(EmailAddress.Normalize(FromAddress) + "\n" + MessageId))).ToLowerInvariant();

    /// <summary>The Message-ID as shown and kept beside the key: whole when it fits, otherwise its beginning.</summary>
    public string? MessageIdShown => MessageId is null ? null : MailText.OneLine(MessageId, 400);

    public static InboundMessage Parse(ReadOnlyMemory<byte> raw)
    {
        if (raw.Length == 0)
        {
            throw Refuse.Because($"{ImportMail.Malformed}: the input is empty.");
        }

        using var stream = MemoryMarshal.TryGetArray(raw, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(raw.ToArray(), writable: false);
        MimeMessage message;
        try
        {
            // Persistent: each part's content stays a window on the raw bytes instead of a copy of them.
            message = new MimeParser(new ParserOptions { AllowAddressesWithoutDomain = false }, stream, persistent: true).ParseMessage();
        }
        catch (FormatException e)
        {
            throw Refuse.Because($"{ImportMail.Malformed}: {e.Message}");
        }

        if (message.Headers.Count == 0 || (message.From.Count == 0 && message.To.Count == 0 && message.Subject is null))
        {
            throw Refuse.Because($"{ImportMail.Malformed}: it has no headers.");
        }

        var from = message.From.Mailboxes.FirstOrDefault();
        if (from is null || !from.Address.Contains('@'))
        {
            throw Refuse.Because(ImportMail.NoSender);
        }

        var reader = new PartReader();
        reader.Walk(message.Body, 0);
        return new InboundMessage(
            MailText.OneLine(from.Address, FieldLengths.Email),
            MailText.OneLine(from.Name, FieldLengths.Name * 2),
            message.From.Mailboxes.Count(),
            message.Subject,
            message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address.Trim().ToLowerInvariant()).Where(a => a.Length <= FieldLengths.Email).Distinct().Take(100).ToList(),
            string.IsNullOrWhiteSpace(message.MessageId) ? null : Ticket.OneLine(message.MessageId),
            ImportMail.AutomaticReason(message, from),
            message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults).Take(MaxAuthenticationResults).Select(h => h.Value ?? "").ToList(),
            reader.Text,
            reader.Truncated,
            reader.NotImported);
    }

    /// <summary>Walks the MIME tree in order and collects its readable text, within the bounds.</summary>
    private sealed class PartReader
    {
        private readonly StringBuilder text = new();
        private readonly List<string> notImported = [];

        public string Text => text.ToString();
        public bool Truncated { get; private set; }
        public IReadOnlyList<string> NotImported => notImported;

        private int Room => MaxTextChars - text.Length;

        public void Walk(MimeEntity? entity, int depth)
        {
            if (entity is null)
            {
                return;
            }

            if (depth > MaxDepth)
            {
                notImported.Add("parts nested too deeply");
                return;
            }

            switch (entity)
            {
                case MultipartAlternative alternative:
                    Walk(Preferred(alternative), depth + 1);
                    break;
                case MultipartEncrypted:
                    notImported.Add("encrypted content (multipart/encrypted)");
                    break;
                case Multipart multipart:
                    foreach (var part in multipart)
                    {
                        Walk(part, depth + 1);
                    }

                    break;
                case MessagePart { Message: { } forwarded }:
                    Forwarded(forwarded, depth);
                    break;
                case TextPart part when !IsAttachment(part) && Readable(part):
                    Append(ReadText(part));
                    break;
                case MimePart part:
                    notImported.Add(Describe(part));
                    break;
                default:
                    notImported.Add($"a part of type {entity.ContentType.MimeType}");
                    break;
            }
        }

        /// <summary>Of the versions of one content, plain text if there is some, else the richest one the portal reads.</summary>
        private static MimeEntity? Preferred(MultipartAlternative alternative)
        {
            var plain = alternative.OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !IsAttachment(p));
            if (plain is not null)
            {
                return plain;
            }

            return alternative.LastOrDefault(p => p is Multipart or MessagePart || (p is TextPart t && Readable(t))) ?? alternative.LastOrDefault();
        }

        private void Forwarded(MimeMessage forwarded, int depth)
        {
            var inner = new PartReader();
            inner.Walk(forwarded.Body, depth + 1);
            notImported.AddRange(inner.NotImported.Select(n => n + " (in the forwarded message)"));
            var headers = new StringBuilder("---------- Forwarded message ----------\n");
            foreach (var (name, value) in new[]
            {
                ("From", Addresses(forwarded.From)),
                ("Date", forwarded.Headers[HeaderId.Date]),
                ("Subject", forwarded.Subject),
                ("To", Addresses(forwarded.To)),
                ("Cc", Addresses(forwarded.Cc)),
            })
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    headers.Append(name).Append(": ").Append(MailText.OneLine(value, 300)).Append('\n');
                }
            }

            var block = headers + "\n" + inner.Text;
            Append(string.Join("\n", block.TrimEnd().Split('\n').Select(l => l.Length == 0 ? ">" : "> " + l)));
            Truncated |= inner.Truncated;
        }

        /// <summary>Addresses as a person reads them: "Name &lt;address&gt;", without the quoting of the header syntax.</summary>
        private static string Addresses(InternetAddressList list) =>
            string.Join(", ", list.Mailboxes.Select(m => string.IsNullOrWhiteSpace(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));

        private void Append(string piece)
        {
            piece = piece.Trim('\n', '\r');
            if (piece.Trim().Length == 0)
            {
                return;
            }

            var separator = text.Length > 0 ? "\n\n" : "";
            if (piece.Length + separator.Length > Room)
            {
                Truncated = true;
                piece = piece[..Math.Max(0, Room - separator.Length)];
            }

            if (piece.Length > 0)
            {
                text.Append(separator).Append(piece);
            }
        }

        private string ReadText(TextPart part)
        {
            var limit = part.IsHtml ? MaxHtmlChars : Math.Max(0, Room);
            var (content, cut) = Decode(part, limit);
            if (cut && !part.IsHtml)
            {
                Truncated = true;
            }

            if (part.IsHtml)
            {
                Truncated |= cut;
                return MailText.FromHtml(content);
            }

            if (part.IsEnriched || part.ContentType.IsMimeType("text", "richtext"))
            {
                return MailText.FromEnriched(content);
            }

            if (part.IsFlowed)
            {
                var delsp = part.ContentType.Parameters.TryGetValue("delsp", out string? d) && d.Equals("yes", StringComparison.OrdinalIgnoreCase);
                return new FlowedToText { DeleteSpace = delsp }.Convert(content);
            }

            return content;
        }

        /// <summary>At most <paramref name="maxChars"/> characters of the part's text, in its declared charset (UTF-8, or windows-1252 for bytes that are not UTF-8, when none is declared or known).</summary>
        private static (string Text, bool Cut) Decode(TextPart part, int maxChars)
        {
            if (part.Content is null || maxChars <= 0)
            {
                return ("", part.Content is not null);
            }

            using var decoded = part.Content.Open();
            var limit = (maxChars * 4) + 4;
            var buffer = new byte[Math.Min(limit, 1 << 16)];
            using var bytes = new MemoryStream();
            int read;
            while (bytes.Length < limit && (read = decoded.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - bytes.Length))) > 0)
            {
                bytes.Write(buffer, 0, read);
            }

            var more = decoded.ReadByte() >= 0;
            var encoding = EncodingOf(part, bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
            var text = encoding.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
            if (text.Length > maxChars)
            {
                return (text[..maxChars], true);
            }

            return (text, more);
        }

        private static Encoding EncodingOf(TextPart part, ReadOnlySpan<byte> sample)
        {
            try
            {
                if (part.ContentType.CharsetEncoding is { } declared)
                {
                    return declared;
                }
            }
            catch (NotSupportedException)
            {
            }

            try
            {
                // The last bytes may be a character cut in two by the read limit.
                new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(sample[..Math.Max(0, sample.Length - 3)]);
                return Encoding.UTF8;
            }
            catch (DecoderFallbackException)
            {
                return Encoding.GetEncoding(1252);
            }
        }

        private static bool Readable(TextPart part) =>
            part.IsPlain || part.IsHtml || part.IsEnriched || part.ContentType.IsMimeType("text", "richtext");

        private static bool IsAttachment(MimeEntity entity) =>
            entity.ContentDisposition?.Disposition?.Equals(ContentDisposition.Attachment, StringComparison.OrdinalIgnoreCase) == true;

        private static string Describe(MimePart part)
        {
            var name = part.FileName is { Length: > 0 } file ? MailText.OneLine(file, 100) : null;
            var type = part.ContentType.MimeType.ToLowerInvariant();
            var kind = type switch
            {
                _ when type.StartsWith("image/", StringComparison.Ordinal) && !IsAttachment(part) => $"inline image, {type}",
                "application/pgp-signature" or "application/pkcs7-signature" or "application/x-pkcs7-signature" => "signature",
                "application/pgp-encrypted" or "application/pkcs7-mime" or "application/x-pkcs7-mime" => "encrypted content",
                _ => null,
            };
            return (name ?? $"unnamed {type}") + (kind is null ? "" : $" ({kind})");
        }
    }
}
