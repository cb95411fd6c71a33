using FluentValidation;
using Hangfire;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Mediator;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Email;

namespace Portal.Features.Support;

/// <summary>
/// The recurring job that reads inbound ticket mail from an IMAP mailbox (<c>Mail:Imap:Host</c>). Each unseen message
/// goes through the same import as <c>import-mail</c>, in its own transaction, and is then flagged Seen, so it is read
/// once. A message the import refuses (malformed, addressed to no department) is flagged Seen too, with the reason in
/// the log, so one bad message never holds up the rest; a message that failed for any other reason stays unseen and is
/// tried again on the next run (a repeated Message-ID imports once).
/// </summary>
public sealed class FetchImapMail(IServiceScopeFactory scopes, IOptions<MailOptions> mail, ILogger<FetchImapMail> logger)
{
    public const string RecurringJobId = "imap-import";
    public const int MaxPerRun = 200;

    public sealed record Summary(int Handled, int Refused);

    /// <summary>Registers the job when an IMAP host is configured, and removes it when not.</summary>
    public static void Register(IRecurringJobManager jobs, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["Mail:Imap:Host"]))
        {
            jobs.RemoveIfExists(RecurringJobId);
            return;
        }

        jobs.AddOrUpdate<FetchImapMail>(RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
    }

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(300)]
    public async Task<Summary> RunAsync(CancellationToken cancellationToken)
    {
        var options = mail.Value.Imap;
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            return new Summary(0, 0);
        }

        using var client = new ImapClient();
        await client.ConnectAsync(options.Host, options.Port, Enum.Parse<SecureSocketOptions>(options.Security, ignoreCase: true), cancellationToken);
        if (!string.IsNullOrEmpty(options.User))
        {
            await client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
        }

        var folder = await client.GetFolderAsync(options.Mailbox, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var (handled, refused) = (0, 0);
        foreach (var uid in (await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken)).Take(MaxPerRun))
        {
            using var raw = new MemoryStream();
            await (await folder.GetMessageAsync(uid, cancellationToken)).WriteToAsync(raw, cancellationToken);
            await using (var scope = scopes.CreateAsyncScope())
            {
                try
                {
                    var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ImportMail.Command(raw.ToArray()), cancellationToken);
                    logger.LogInformation("IMAP message {Uid}: {Explanation}", uid.Id, result.Explanation);
                    handled++;
                }
                catch (ValidationException e)
                {
                    logger.LogWarning("IMAP message {Uid} refused: {Reason}", uid.Id, string.Join("; ", e.Errors.Select(f => f.ErrorMessage)));
                    refused++;
                }
            }

            await folder.AddFlagsAsync(uid, MessageFlags.Seen, true, cancellationToken);
        }

        await client.DisconnectAsync(true, cancellationToken);
        return new Summary(handled, refused);
    }
}
