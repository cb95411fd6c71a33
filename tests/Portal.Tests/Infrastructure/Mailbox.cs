using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Shared;

namespace Portal.Tests.Infrastructure;

/// <summary>Reads the outbox rows the app queued, as the recipient would read the e-mails.</summary>
public static partial class Mailbox
{
    public static Task<List<EmailMessage>> MessagesToAsync(this PortalFixture portal, string to) =>
        portal.WithDbAsync(db => db.EmailMessages.AsNoTracking().Where(m => m.To == to).OrderBy(m => m.Id).ToListAsync());

    /// <summary>The path and query of the first link on <see cref="PortalFactory.BaseUrl"/> in the text, starting with <paramref name="path"/>.</summary>
    public static string? LinkIn(EmailMessage message, string path)
    {
        var match = Regex.Match(message.TextBody, Regex.Escape(PortalFactory.BaseUrl + path) + @"\S*");
        return match.Success ? match.Value[PortalFactory.BaseUrl.Length..] : null;
    }

    public static async Task<string> LatestResetLinkAsync(this PortalFixture portal, string to)
    {
        var messages = await portal.MessagesToAsync(to);
        return messages.Select(m => LinkIn(m, "/password/reset")).LastOrDefault(l => l is not null)
            ?? throw new InvalidOperationException($"No reset link was mailed to {to}");
    }
}
