using System.Diagnostics;
using MimeKit;

namespace Portal.Browser.Infrastructure;

/// <summary>
/// The e-mail the server has sent: with no SMTP host, the outbox job writes each message as an .eml file into the
/// pickup folder right after the save that queued it. Reading waits for the file, since the job runs on its own.
/// </summary>
public static class PickupMail
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static Task<MimeMessage> WaitForMailAsync(this PortalServer server, string to, string subject, TimeSpan? timeout = null) =>
        server.WaitForMailAsync(to, s => s == subject, $"the subject \"{subject}\"", timeout);

    public static async Task<MimeMessage> WaitForMailAsync(this PortalServer server, string to, Func<string, bool> subject, string described, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = new List<string>();
            foreach (var message in await ReadAllAsync(server.MailFolder))
            {
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)) && subject(message.Subject ?? ""))
                {
                    return message;
                }

                seen.Add($"to {message.To} \"{message.Subject}\"");
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"No e-mail to {to} with {described} arrived within {limit.TotalSeconds} s. The pickup folder holds:\n"
                    + string.Join("\n", seen));
            }

            await Task.Delay(50);
        }
    }

    private static async Task<List<MimeMessage>> ReadAllAsync(string folder)
    {
        var messages = new List<MimeMessage>();
        if (!Directory.Exists(folder))
        {
            return messages;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.eml").Order(StringComparer.Ordinal))
        {
            try
            {
                // A shared lock fails while the sender still holds the file it is writing; a file caught before that
                // lock is empty or cut short and fails to parse. Either way the next poll reads it whole.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                messages.Add(await MimeMessage.LoadAsync(stream));
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
            }
        }

        return messages;
    }
}
