using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Features.Support;
using Portal.Infrastructure.Email;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Support;

/// <summary>The IMAP job against a real IMAP server (Dovecot) started by the test.</summary>
[Collection(SupportCollection.Name)]
public sealed class FetchImapMailTests(PortalFixture portal)
{
    private static string Mail(string from, string to, string subject, string body, string? extraHeaders = null) =>
        $"From: Sender <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@mail.example.test>\r\n" +
        $"Date: Sat, 28 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n{extraHeaders}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";

    private FetchImapMail Job(TestImapServer server, bool failing = false) => new(
        failing ? new FailingImport.Scopes(portal.Factory.Services.GetRequiredService<IServiceScopeFactory>()) : portal.Factory.Services.GetRequiredService<IServiceScopeFactory>(),
        Options.Create(new MailOptions { Imap = new ImapOptions { Host = "127.0.0.1", Port = server.Port, User = TestImapServer.User, Password = TestImapServer.Password, Security = "None" } }),
        NullLogger<FetchImapMail>.Instance);

    [Fact]
    public async Task The_job_imports_each_new_message_once_through_the_same_path_as_import_mail()
    {
        await using var server = await TestImapServer.StartAsync();
        var department = await portal.DepartmentAsync("Imap Desk");
        var (owner, client) = await portal.CreateOwnerAsync("Imap Co");
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Router");
        var stranger = PortalFixture.UniqueEmail("imap-new");
        await server.DeliverAsync(Mail(owner.Email!, "support@example.test", $"Re: [#{ticket.Reference}] Router", "Still blinking."));
        await server.DeliverAsync(Mail(stranger, department.Email, "Opening hours", "When are you open?"));
        await server.DeliverAsync(Mail("mailer-daemon@example.test", department.Email, "Undeliverable", "Bounce.", "Auto-Submitted: auto-replied\r\n"));
        await server.DeliverAsync(Mail(PortalFixture.UniqueEmail("nowhere"), "nobody@example.test", "No department", "Lost."));

        var summary = await Job(server).RunAsync(CancellationToken.None);

        Assert.Equal(new FetchImapMail.Summary(3, 1), summary);
        Assert.Equal(0, await server.UnseenAsync());
        var replies = await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == ticket.Id).OrderBy(r => r.Id).Select(r => r.Message).ToListAsync());
        Assert.Equal("Still blinking.", replies[^1]);
        var opened = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.RequesterEmail == stranger));
        Assert.Equal((department.Id, "Opening hours"), (opened.DepartmentId, opened.Subject));
        Assert.False(await portal.WithDbAsync(db => db.Tickets.AnyAsync(t => t.Subject == "Undeliverable" && t.DepartmentId == department.Id)));

        Assert.Equal(new FetchImapMail.Summary(0, 0), await Job(server).RunAsync(CancellationToken.None));
        Assert.Equal(replies.Count, await portal.WithDbAsync(db => db.TicketReplies.CountAsync(r => r.TicketId == ticket.Id)));
    }

    [Fact]
    public async Task A_malformed_message_and_one_that_fails_are_flagged_and_the_next_message_is_still_imported()
    {
        await using var server = await TestImapServer.StartAsync();
        var department = await portal.DepartmentAsync("Imap Poison");
        var (before, after) = (PortalFixture.UniqueEmail("imap-before"), PortalFixture.UniqueEmail("imap-after"));
        await server.DeliverAsync(Mail(before, department.Email, "Before the poison", "First."));
        await server.DeliverRawAsync("this is not an e-mail at all\r\n\u0001\u0002 binary garbage \u00ff\r\n");
        await server.DeliverAsync(Mail(PortalFixture.UniqueEmail("imap-poison"), department.Email, "Fails on import", FailingImport.Poison));
        await server.DeliverAsync(Mail(after, department.Email, "After the poison", "Last."));

        var summary = await Job(server, failing: true).RunAsync(CancellationToken.None);

        Assert.Equal(new FetchImapMail.Summary(2, 1, 1), summary);
        Assert.Equal(0, await server.UnseenAsync());
        Assert.True(await portal.WithDbAsync(db => db.Tickets.AnyAsync(t => t.RequesterEmail == before)));
        Assert.True(await portal.WithDbAsync(db => db.Tickets.AnyAsync(t => t.RequesterEmail == after)));
        var flags = await server.FlagsAsync();
        Assert.Equal(4, flags.Count);
        Assert.Equal([false, true, true, false], flags.Select(f => f.Flags.HasFlag(MailKit.MessageFlags.Flagged)));
        Assert.Equal([FetchImapMail.RefusedKeyword], flags[1].Keywords);
        Assert.Equal([FetchImapMail.FailedKeyword], flags[2].Keywords);

        // The next run finds nothing left: the flagged messages are not tried again every minute.
        Assert.Equal(new FetchImapMail.Summary(0, 0), await Job(server, failing: true).RunAsync(CancellationToken.None));
    }

    [Fact]
    public void The_job_is_registered_every_minute_only_when_an_imap_host_is_set()
    {
        var jobs = new RecordingJobs();
        FetchImapMail.Register(jobs, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mail:Imap:Host"] = "imap.example.test" }).Build());
        Assert.Equal((FetchImapMail.RecurringJobId, Cron.Minutely()), Assert.Single(jobs.Added));

        var without = new RecordingJobs();
        FetchImapMail.Register(without, new ConfigurationBuilder().Build());
        Assert.Empty(without.Added);
        Assert.Equal([FetchImapMail.RecurringJobId], without.Removed);
    }

    private sealed class RecordingJobs : IRecurringJobManager
    {
        public List<(string Id, string Cron)> Added { get; } = [];
        public List<string> Removed { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) => Added.Add((recurringJobId, cronExpression));

        public void Trigger(string recurringJobId)
        {
        }

        public void RemoveIfExists(string recurringJobId) => Removed.Add(recurringJobId);
    }
}
