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
/// is fetched as it is and goes through the same import as <c>import-mail</c>, in its own scope, and is then flagged
/// Seen, so it is read once. No single message can stop the run: one the import refuses (malformed, addressed to no
/// department) or that fails for any reason of its own is logged and flagged Seen and \Flagged with the keyword
/// <see cref="RefusedKeyword"/> or <see cref="FailedKeyword"/>, for someone to look at in a mail program, and the run
/// goes on with the next. Only a passing failure of the database (busy, unreachable) ends the run early and leaves
/// the message unseen, to be tried on the next run (a repeated Message-ID imports once).
/// </summary>
public sealed class FetchImapMail(IServiceScopeFactory scopes, IOptions<MailOptions> mail, ILogger<FetchImapMail> logger)
{
    public const string RecurringJobId = "imap-import";
    public const int MaxPerRun = 200;

    public const string RefusedKeyword = "PortalRefused";
    public const string FailedKeyword = "PortalFailed";

    public sealed record Summary(int Handled, int Refused, int Failed = 0);

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
        var (handled, refused, failed) = (0, 0, 0);
        foreach (var uid in (await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken)).Take(MaxPerRun))
        {
            var (flags, keyword) = (MessageFlags.Seen, (string?)null);
            try
            {
                using var raw = new MemoryStream();
                await using (var stream = await folder.GetStreamAsync(uid, "", cancellationToken))
                {
                    await stream.CopyToAsync(raw, cancellationToken);
                }

                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<ISender>()
                    .Send(new ImportMail.Command(new ReadOnlyMemory<byte>(raw.GetBuffer(), 0, (int)raw.Length)), cancellationToken);
                logger.LogInformation("IMAP message {Uid}: {Explanation}", uid.Id, result.Explanation);
                handled++;
            }
            catch (ValidationException e)
            {
                logger.LogWarning("IMAP message {Uid} refused and flagged: {Reason}", uid.Id, string.Join("; ", e.Errors.Select(f => f.ErrorMessage)));
                (flags, keyword) = (MessageFlags.Seen | MessageFlags.Flagged, RefusedKeyword);
                refused++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (ImportFailures.IsTransient(e))
            {
                logger.LogWarning("IMAP message {Uid} left unseen for the next run, the database failed: {Error}", uid.Id, ImportFailures.Describe(e));
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "IMAP message {Uid} could not be imported and is flagged: {Error}", uid.Id, ImportFailures.Describe(e));
                (flags, keyword) = (MessageFlags.Seen | MessageFlags.Flagged, FailedKeyword);
                failed++;
            }

            var request = new StoreFlagsRequest(StoreAction.Add, flags) { Silent = true };
            if (keyword is { } custom && folder.PermanentFlags.HasFlag(MessageFlags.UserDefined))
            {
                request.Keywords.Add(custom);
            }

            await folder.StoreAsync(uid, request, cancellationToken);
        }

        await client.DisconnectAsync(true, cancellationToken);
        return new Summary(handled, refused, failed);
    }
}
