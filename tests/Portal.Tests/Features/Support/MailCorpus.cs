using System.Text;

namespace Portal.Tests.Features.Support;

/// <summary>
/// The inbound-mail corpus: the written messages of <c>MailCorpus/</c> with their placeholders filled, and the
/// messages generated here (legacy charsets from the texts below, hundreds of parts, an overlong body, hundreds of
/// attachments, long Message-IDs).
/// </summary>
public static class MailCorpus
{
    // Writing the legacy messages needs the code pages, so the test process has them whatever the app does: whether the
    // app registers them itself is checked on the real executable (ImportMailProcessTests).
    static MailCorpus() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>A message of the corpus folder, with sender, recipient, subject and Message-ID filled in.</summary>
    public static byte[] Load(string name, string from, string to, string subject, string? id = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Support", "MailCorpus", name), Encoding.ASCII).Replace("\r\n", "\n").Replace("\n", "\r\n")
            .Replace("{{FROM}}", from).Replace("{{TO}}", to).Replace("{{SUBJECT}}", subject).Replace("{{ID}}", id ?? UniqueId());
        return Encoding.ASCII.GetBytes(text);
    }

    public static string UniqueId() => $"{Guid.NewGuid():N}@corpus.example.test";

    /// <summary>One legacy charset of issue 24 with a subject, a display name and a body written in a language it serves.</summary>
    public sealed record Legacy(string Charset, string Subject, string Name, string Body);

    public static readonly IReadOnlyList<Legacy> LegacyCharsets =
    [
        new("windows-1252", "“Smart” quotes cost €5", "Zoë “Boss” Müller", "It’s €5 — “cheap”, naïve café…"),
        new("iso-8859-2", "Zażółć gęślą jaźń", "Łukasz Żółkiewski", "Faktura została opłacona, dziękuję."),
        new("koi8-r", "Привет, счёт", "Иван Петров", "Счёт оплачен, спасибо за помощь."),
        new("windows-1251", "Ошибка на сайте", "Ёлка Сергеевна", "Сайт не открывается с утра, проверьте."),
        new("gb2312", "你好，发票问题", "王小明", "我们的网站今天很慢，请帮忙检查。"),
        new("big5", "繁體中文測試", "陳大文", "網站今天無法登入，請協助處理。"),
        new("euc-kr", "안녕하세요 문의", "김민수", "결제가 두 번 되었습니다. 확인 부탁드립니다."),
        new("shift_jis", "こんにちは請求書", "山田太郎", "請求書が二重に届きました。確認してください。"),
        new("iso-2022-jp", "日本語のテスト", "佐藤花子", "ログインできません。パスワードを再設定したいです。"),
    ];

    /// <summary>The legacy message: encoded words in the subject and display name, the body base64 in the same charset.</summary>
    public static byte[] LegacyMessage(Legacy legacy, string from, string to)
    {
        var encoding = Encoding.GetEncoding(legacy.Charset);
        string Word(string text) => $"=?{legacy.Charset}?B?{Convert.ToBase64String(encoding.GetBytes(text))}?=";
        var body = Convert.ToBase64String(encoding.GetBytes(legacy.Body + "\r\n"), Base64FormattingOptions.InsertLineBreaks);
        return Encoding.ASCII.GetBytes(
            $"From: {Word(legacy.Name)} <{from}>\r\nTo: {to}\r\nSubject: {Word(legacy.Subject)}\r\nMessage-ID: <{UniqueId()}>\r\n" +
            $"Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset={legacy.Charset}\r\n" +
            $"Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n");
    }

    private static string Headers(string from, string to, string subject, string? id = null, string contentType = "text/plain; charset=utf-8") =>
        $"From: Gen Erated <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id ?? UniqueId()}>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n" +
        $"MIME-Version: 1.0\r\nContent-Type: {contentType}\r\n";

    /// <summary>A message of <paramref name="parts"/> text/plain parts, "Part 1." to "Part N.", in order.</summary>
    public static byte[] ManyTextParts(int parts, string from, string to, string subject)
    {
        var text = new StringBuilder(Headers(from, to, subject, contentType: "multipart/mixed; boundary=\"many\"") + "\r\n");
        for (var i = 1; i <= parts; i++)
        {
            text.Append($"--many\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPart {i}.\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append("--many--\r\n").ToString());
    }

    /// <summary>A plain message whose body is <paramref name="lines"/> numbered lines of about 60 characters.</summary>
    public static byte[] LongBody(int lines, string from, string to, string subject)
    {
        var text = new StringBuilder(Headers(from, to, subject) + "\r\n");
        for (var i = 1; i <= lines; i++)
        {
            text.Append($"Line {i:D6} of a very long log that someone pasted into the mail.\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>A short text and <paramref name="count"/> attachments with names of 90 characters.</summary>
    public static byte[] ManyAttachments(int count, string from, string to, string subject)
    {
        var text = new StringBuilder(Headers(from, to, subject, contentType: "multipart/mixed; boundary=\"att\"") + "\r\n");
        text.Append("--att\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe scans are attached.\r\n");
        for (var i = 1; i <= count; i++)
        {
            var name = $"scan-{i:D4}-" + new string('x', 76) + ".pdf";
            text.Append($"--att\r\nContent-Type: application/pdf; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append("--att--\r\n").ToString());
    }

    /// <summary>A plain message with the given (long) Message-ID, folded over several header lines as mail programs fold it.</summary>
    public static byte[] WithMessageId(string id, string from, string to, string subject, string body) =>
        Encoding.ASCII.GetBytes(Headers(from, to, subject, id) + $"\r\n{body}\r\n");
}
