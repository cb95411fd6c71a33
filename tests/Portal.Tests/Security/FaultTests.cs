using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Features.Membership;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Tests.Infrastructure;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// Jobs cut off half-way, run again or twice at once, and an SMTP server that goes away mid-sweep: the end state is
/// the same as after one clean run, each mail is delivered exactly once and each expiry is logged once.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class FaultTests(PortalFixture portal)
{
    [Fact]
    public async Task An_outbox_sweep_cancelled_after_its_first_mail_and_run_again_delivers_every_mail_exactly_once()
    {
        await DrainOutboxAsync();
        var invited = await InviteAsync("Cancelled Sweep Co", 5);
        await using var smtp = await TestSmtpServer.StartAsync();
        using var stop = new CancellationTokenSource();
        var cutting = new AfterEachSend(Smtp(smtp.Port), sent => { if (sent == 1) stop.Cancel(); });

        await portal.WithDbAsync(db => Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(db, cutting).SendPendingAsync(stop.Token)));
        SecurityReport.Add(SecurityReport.FaultsInjected);

        Assert.Equal(1, invited.Sum(e => smtp.To(e).Count));
        Assert.Equal(4, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => invited.Contains(m.To) && m.SentAt == null)));

        await portal.WithDbAsync(db => Sender(db, Smtp(smtp.Port)).SendPendingAsync(CancellationToken.None));

        Assert.All(invited, e => Assert.Single(smtp.To(e)));
        Assert.Equal(0, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => invited.Contains(m.To) && (m.SentAt == null || m.LockedUntil != null))));
    }

    [Fact]
    public async Task A_mail_whose_send_was_cancelled_half_way_is_sent_once_when_its_claim_lapses()
    {
        await DrainOutboxAsync();
        var invited = await InviteAsync("Interrupted Send Co", 3);
        await using var smtp = await TestSmtpServer.StartAsync();
        using var stop = new CancellationTokenSource();

        // The stop arrives while the second mail is being handed to the transport, before the server has it.
        var cutting = new BeforeEachSend(Smtp(smtp.Port), sending => { if (sending == 2) stop.Cancel(); });
        await portal.WithDbAsync(db => Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(db, cutting).SendPendingAsync(stop.Token)));
        SecurityReport.Add(SecurityReport.FaultsInjected);
        Assert.Equal(1, invited.Sum(e => smtp.To(e).Count));

        // The interrupted mail stays claimed for a while (it might have reached the server); after that it is sent again.
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(6));
        await portal.WithDbAsync(db => Sender(db, Smtp(smtp.Port)).SendPendingAsync(CancellationToken.None));
        await portal.WithDbAsync(db => Sender(db, Smtp(smtp.Port)).SendPendingAsync(CancellationToken.None));

        Assert.All(invited, e => Assert.Single(smtp.To(e)));
    }

    [Fact]
    public async Task Mail_queued_while_the_smtp_server_is_down_mid_sweep_is_delivered_exactly_once_when_it_is_back()
    {
        await DrainOutboxAsync();
        var (owner, _) = await portal.CreateOwnerAsync("Flaky Smtp Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            invited.Add(PortalFixture.UniqueEmail("flaky"));
            Assert.Equal(HttpStatusCode.Redirect, (await browser.InviteAsync(invited[^1])).StatusCode);
        }

        var port = TestSmtpServer.FreePort();
        var smtp = await TestSmtpServer.StartAsync(port);
        var received = smtp.Received;
        var stopping = new AfterEachSend(Smtp(port), sent =>
        {
            if (sent == 2)
            {
                smtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });

        await portal.WithDbAsync(db => Sender(db, stopping).SendPendingAsync(CancellationToken.None));
        SecurityReport.Add(SecurityReport.FaultsInjected);
        Assert.Equal(2, invited.Sum(e => received.Count(m => m.To.Mailboxes.Any(b => b.Address == e))));
        var failed = await portal.WithDbAsync(db => db.EmailMessages.AsNoTracking().Where(m => invited.Contains(m.To) && m.SentAt == null).ToListAsync());
        Assert.Equal(2, failed.Count);
        Assert.All(failed, m => Assert.NotNull(m.LastError));

        // While it is down the owner invites one more person: the page still succeeds and the mail waits its turn.
        invited.Add(PortalFixture.UniqueEmail("flaky-late"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.InviteAsync(invited[^1])).StatusCode);
        await portal.WithDbAsync(db => Sender(db, Smtp(port)).SendPendingAsync(CancellationToken.None));

        await using var restarted = await TestSmtpServer.StartAsync(port, received);
        await portal.WithDbAsync(db => Sender(db, Smtp(port)).SendPendingAsync(CancellationToken.None));
        await portal.WithDbAsync(db => Sender(db, Smtp(port)).SendPendingAsync(CancellationToken.None));

        Assert.All(invited, e => Assert.Single(restarted.To(e)));
        Assert.Equal(0, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => invited.Contains(m.To) && m.SentAt == null)));
    }

    [Fact]
    public async Task An_expiry_run_cancelled_before_it_starts_changes_nothing_and_the_next_run_expires_each_invitation_once()
    {
        var (clientId, emails) = await LapsedInvitationsAsync("Cancelled Expiry Co", 5);
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunExpiryAsync(cancelled.Token));
            SecurityReport.Add(SecurityReport.FaultsInjected);
        }

        Assert.Equal(emails.Count, await portal.WithDbAsync(db => db.Invitations.CountAsync(i => i.ClientId == clientId && i.Status == InvitationStatus.Pending)));
        Assert.Equal(0, await ExpiryEntriesAsync(clientId));

        await RunExpiryAsync(CancellationToken.None);
        await RunExpiryAsync(CancellationToken.None);

        await AssertExpiredAndLoggedOnceAsync(clientId, emails);
    }

    [Fact]
    public async Task Two_expiry_runs_at_once_expire_each_invitation_once_and_log_it_once()
    {
        var (clientId, emails) = await LapsedInvitationsAsync("Double Expiry Co", 20);

        // SQLite's async calls complete synchronously, so each run gets its own thread, and both start together.
        using var start = new Barrier(2);
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromMinutes(1));
            await RunExpiryAsync(CancellationToken.None);
        })));
        SecurityReport.Add(SecurityReport.FaultsInjected);
        SecurityReport.Add(SecurityReport.ConcurrentOperations, 2);

        await AssertExpiredAndLoggedOnceAsync(clientId, emails);
    }

    private async Task AssertExpiredAndLoggedOnceAsync(int clientId, IReadOnlyList<string> emails)
    {
        Assert.All(await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == clientId).Select(i => i.Status).ToListAsync()),
            s => Assert.Equal(InvitationStatus.Expired, s));
        var entries = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == clientId && e.Description.StartsWith("Invitation to ")).Select(e => e.Description).ToListAsync());
        foreach (var email in emails)
        {
            Assert.Single(entries, e => e.StartsWith($"Invitation to {email} "));
        }

        Assert.Equal(emails.Count, entries.Count);
    }

    private Task<int> ExpiryEntriesAsync(int clientId) =>
        portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == clientId && e.Description.StartsWith("Invitation to ")));

    private async Task RunExpiryAsync(CancellationToken cancellationToken)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExpireInvitations.Job>().RunAsync(cancellationToken);
    }

    /// <summary>Pending invitations of a new account, with the clock moved past their validity.</summary>
    private async Task<(int ClientId, List<string> Emails)> LapsedInvitationsAsync(string company, int count)
    {
        var (owner, client) = await portal.CreateOwnerAsync(company);
        var emails = Enumerable.Range(0, count).Select(i => PortalFixture.UniqueEmail($"lapsing{i}-")).ToList();
        await portal.WithDbAsync(async db =>
        {
            foreach (var email in emails)
            {
                db.Invitations.Add(Invitation.Create(client.Id, email, PermissionSet.Of([Permission.Tickets]), owner.Id, null, Tokens.Hash(Tokens.New()),
                    portal.Factory.Time.GetUtcNow(), TimeSpan.FromDays(7)));
            }

            await db.SaveChangesAsync();
        });
        portal.Factory.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        return (client.Id, emails);
    }

    private async Task<List<string>> InviteAsync(string company, int count)
    {
        var (owner, _) = await portal.CreateOwnerAsync(company);
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = new List<string>();
        for (var i = 0; i < count; i++)
        {
            invited.Add(PortalFixture.UniqueEmail("swept"));
            Assert.Equal(HttpStatusCode.Redirect, (await browser.InviteAsync(invited[^1])).StatusCode);
        }

        return invited;
    }

    /// <summary>Other tests leave mail in the outbox (the job server is off); it is sent nowhere first, so that these tests count only their own.</summary>
    private async Task DrainOutboxAsync()
    {
        while (await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.SentAt == null && m.Attempts < OutboxSender.MaxAttempts && m.LockedUntil == null)))
        {
            await portal.WithDbAsync(db => Sender(db, new Discard()).SendPendingAsync(CancellationToken.None));
        }
    }

    private OutboxSender Sender(PortalDbContext db, IMailTransport transport) =>
        new(db, transport, portal.Factory.Time, Options.Create(new MailOptions()), NullLogger<OutboxSender>.Instance);

    private static SmtpMailTransport Smtp(int port) =>
        new(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = "None" } }));

    /// <summary>The real transport, with a fault injected after each completed send.</summary>
    private sealed class AfterEachSend(IMailTransport inner, Action<int> afterSend) : IMailTransport
    {
        private int _sent;

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            await inner.SendAsync(message, cancellationToken);
            afterSend(Interlocked.Increment(ref _sent));
        }
    }

    /// <summary>The real transport, with a fault injected as each send begins.</summary>
    private sealed class BeforeEachSend(IMailTransport inner, Action<int> beforeSend) : IMailTransport
    {
        private int _sending;

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            beforeSend(Interlocked.Increment(ref _sending));
            return inner.SendAsync(message, cancellationToken);
        }
    }

    private sealed class Discard : IMailTransport
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
