using FluentValidation;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Settings;
using Portal.Features.Billing;

namespace Portal.Features.Retention;

/// <summary>
/// Data retention: clients inactive for the period set in Automation deleted by a daily job through the Delete Client
/// command (with their only-here users when the toggle is on), a preview of what the next run deletes, and a summary of
/// every run. Each client is deleted in its own transaction after asking <see cref="Inactivity"/> again, so a client that
/// paid after the preview is kept, and a run stopped half-way or two runs at once delete and log each client once.
/// </summary>
public static class PruneInactive
{
    public const string RecurringJobId = "prune-inactive-clients";

    /// <summary>Daily, through <see cref="Infrastructure.Jobs.JobsSetup.AddRecurringJob"/>.</summary>
    public static void Schedule(IRecurringJobManager jobs, IConfiguration configuration) =>
        jobs.AddOrUpdate<Job>(RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(4));
    public const int BatchSize = 100;
    public const int PreviewRows = 500;
    public const int DefaultPreviewMonths = 12;
    public const string FailedReason = "the deletion failed (the application log has the details)";
    public const string GoneReason = "it was already deleted";

    /// <summary>
    /// The page: the setting, what a run with <paramref name="Months"/> (the setting's when null) would delete, newest
    /// first and at most <paramref name="Rows"/> of each list, and the last runs.
    /// </summary>
    public sealed record Query(int? Months, int Rows = PreviewRows) : IQuery<Overview>;

    public sealed record Overview(int? SettingMonths, bool SettingDeletesUsers, Preview Preview, IReadOnlyList<RunRow> Runs)
    {
        /// <summary>The preview is of what the daily job does, so Run now may start it.</summary>
        public bool PreviewsSetting => SettingMonths == Preview.Months;
    }

    public sealed record Preview(
        int Months,
        DateTimeOffset Cutoff,
        int ClientCount,
        IReadOnlyList<ClientRow> Clients,
        int UserCount,
        IReadOnlyList<UserRow> Users,
        int UsersWithoutAccountCount,
        IReadOnlyList<UserRow> UsersWithoutAccount,
        IReadOnlyList<KeptRow> Kept);

    /// <summary>An Inactive or Closed client the rule keeps, with every reason, and what it owes when that is one.</summary>
    public sealed record KeptRow(int Id, string Name, ClientStatus Status, IReadOnlyList<string> Reasons, decimal Owed);

    public sealed record ClientRow(int Id, string Name, ClientStatus Status, DateTimeOffset? LastPayment, DateTimeOffset? LastLogin);

    public sealed record UserRow(int Id, string Name, string Email, DateTimeOffset? LastLogin);

    public sealed record RunRow(
        int Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, PruneRunState State, int Months, bool DeleteUsers,
        int ClientsDeleted, int UsersDeleted, int ClientsSkipped, IReadOnlyList<SkipRow> Skips);

    public sealed record SkipRow(int ClientId, string ClientName, string Reason);

    internal sealed class QueryHandler(PortalDbContext db, SystemSettings settings, TimeProvider time) : IQueryHandler<Query, Overview>
    {
        public async ValueTask<Overview> Handle(Query query, CancellationToken cancellationToken)
        {
            var setting = await settings.GetAsync(cancellationToken);
            var months = Math.Clamp(query.Months ?? setting.PruneInactiveAfterMonths ?? DefaultPreviewMonths, 1, SystemSettings.PruneMonthsMax);
            var inactivity = Inactivity.For(db, months, time.GetUtcNow());

            var clients = inactivity.Clients().AsNoTracking();
            var clientRows = await clients
                .OrderByDescending(c => c.Id)
                .Take(query.Rows)
                .Select(c => new
                {
                    c.Id, c.FirstName, c.LastName, c.CompanyName, c.Status,
                    LastPayment = db.Payments.Where(p => p.Invoice.ClientId == c.Id).Max(p => (DateTimeOffset?)p.Date),
                    LastLogin = c.Users.Max(cu => cu.User.LastLoginAt),
                })
                .ToListAsync(cancellationToken);
            var users = inactivity.UsersOfClients().AsNoTracking();
            var withoutAccount = inactivity.UsersWithoutAccount().AsNoTracking();

            var preview = new Preview(
                months,
                inactivity.Cutoff,
                await clients.CountAsync(cancellationToken),
                clientRows.Select(c => new ClientRow(c.Id, Client.DisplayNameOf(c.FirstName, c.LastName, c.CompanyName), c.Status, c.LastPayment, c.LastLogin)).ToList(),
                await users.CountAsync(cancellationToken),
                await UserRowsAsync(users, query.Rows, cancellationToken),
                await withoutAccount.CountAsync(cancellationToken),
                await UserRowsAsync(withoutAccount, query.Rows, cancellationToken),
                await KeptRowsAsync(inactivity, query.Rows, cancellationToken));

            var runs = await db.PruneRuns.AsNoTracking()
                .OrderByDescending(r => r.Id)
                .Take(20)
                .Select(r => new RunRow(
                    r.Id, r.StartedAt, r.FinishedAt, r.State, r.Months, r.DeleteUsers, r.ClientsDeleted, r.UsersDeleted, r.ClientsSkipped,
                    r.Skips.OrderBy(s => s.Id).Take(50).Select(s => new SkipRow(s.ClientId, s.ClientName, s.Reason)).ToList()))
                .ToListAsync(cancellationToken);
            return new Overview(setting.PruneInactiveAfterMonths, setting.PruneDeletesUsers, preview, runs);
        }

        private async Task<IReadOnlyList<KeptRow>> KeptRowsAsync(Inactivity inactivity, int rows, CancellationToken cancellationToken)
        {
            var kept = await inactivity.KeptAsync(rows, cancellationToken);
            var ids = kept.Select(k => k.ClientId).ToList();
            var clients = await db.Clients.AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.FirstName, c.LastName, c.CompanyName, c.Status }).ToDictionaryAsync(c => c.Id, cancellationToken);
            var unpaid = await db.Invoices.AsNoTracking().Where(i => ids.Contains(i.ClientId) && i.Status == InvoiceStatus.Unpaid)
                .Select(i => new { i.ClientId, i.Total, i.AmountPaid }).ToListAsync(cancellationToken);
            return kept.Select(k =>
                {
                    var c = clients[k.ClientId];
                    var owed = unpaid.Where(i => i.ClientId == c.Id).Sum(i => i.Total - i.AmountPaid);
                    return new KeptRow(c.Id, Client.DisplayNameOf(c.FirstName, c.LastName, c.CompanyName), c.Status, k.Reasons, owed);
                })
                .ToList();
        }

        private static async Task<IReadOnlyList<UserRow>> UserRowsAsync(IQueryable<User> users, int rows, CancellationToken cancellationToken) =>
            await users.OrderByDescending(u => u.Id).Take(rows)
                .Select(u => new UserRow(u.Id, u.FirstName + " " + u.LastName, u.Email ?? "", u.LastLoginAt))
                .ToListAsync(cancellationToken);
    }

    /// <summary>Run now, from the preview: the same job as the daily one, started in the background.</summary>
    public sealed class RunNow : ICommand, IConfirmed
    {
        public bool Confirm { get; init; }
    }

    public sealed class RunNowValidator : AbstractValidator<RunNow>
    {
        public RunNowValidator() => this.RequireConfirmation("Tick the box to confirm that these clients and users are deleted for good.");
    }

    internal sealed class RunNowHandler(PortalDbContext db, SystemSettings settings, IBackgroundJobClient jobs, ActivityWriter activity) : ICommandHandler<RunNow>
    {
        public async ValueTask<Unit> Handle(RunNow command, CancellationToken cancellationToken)
        {
            if ((await settings.GetAsync(cancellationToken)).PruneInactiveAfterMonths is null)
            {
                throw Refuse.Because($"{Settings.SettingLabels.PruneInactiveLabel} is set to Never: choose a period in Settings first.");
            }

            jobs.Enqueue<Job>(j => j.RunAsync(CancellationToken.None));
            activity.Record("Started the data-retention run now");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    public sealed record StartRun(int Months, bool DeleteUsers) : ICommand<int>;

    internal sealed class StartRunHandler(PortalDbContext db, TimeProvider time) : ICommandHandler<StartRun, int>
    {
        public async ValueTask<int> Handle(StartRun command, CancellationToken cancellationToken)
        {
            var run = PruneRun.Start(command.Months, command.DeleteUsers, time.GetUtcNow());
            db.PruneRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            return run.Id;
        }
    }

    public sealed record EndRun(int RunId, bool Stopped) : ICommand;

    internal sealed class EndRunHandler(PortalDbContext db, TimeProvider time) : ICommandHandler<EndRun>
    {
        public async ValueTask<Unit> Handle(EndRun command, CancellationToken cancellationToken)
        {
            var run = await db.PruneRuns.SingleAsync(r => r.Id == command.RunId, cancellationToken);
            run.End(command.Stopped, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    /// <summary>
    /// Deletes one client if it still qualifies, by sending Delete Client inside this transaction, and counts it on the
    /// run in the same transaction; otherwise records why it was kept. Answers whether it deleted.
    /// </summary>
    public sealed record PruneClient(int RunId, int ClientId, DateTimeOffset Cutoff, bool DeleteUsers) : ICommand<bool>, ITransactional;

    internal sealed class PruneClientHandler(PortalDbContext db, ISender sender) : ICommandHandler<PruneClient, bool>
    {
        public async ValueTask<bool> Handle(PruneClient command, CancellationToken cancellationToken)
        {
            // A no-op update takes the client's row lock where the database has row locks (SQLite's transaction already holds
            // the write lock): a second run waits here, then finds the client gone instead of deleting and logging it again.
            if (await db.Clients.Where(c => c.Id == command.ClientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, c => c.Status), cancellationToken) == 0)
            {
                await SkipAsync(db, command.RunId, command.ClientId, "", GoneReason, cancellationToken);
                return false;
            }

            var inactivity = new Inactivity(db, command.Cutoff);
            if (!await inactivity.Clients().AnyAsync(c => c.Id == command.ClientId, cancellationToken))
            {
                var reasons = await inactivity.WhyKeptAsync(command.ClientId, cancellationToken);
                await SkipAsync(db, command.RunId, command.ClientId, await NameAsync(db, command.ClientId, cancellationToken), "kept: " + string.Join("; ", reasons), cancellationToken);
                return false;
            }

            var result = await sender.Send(new DeleteClient.Command { ClientId = command.ClientId, DeleteUsers = command.DeleteUsers, Confirm = true }, cancellationToken);
            await db.PruneRuns.Where(r => r.Id == command.RunId).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.ClientsDeleted, r => r.ClientsDeleted + 1).SetProperty(r => r.UsersDeleted, r => r.UsersDeleted + result.DeletedUsers),
                cancellationToken);
            return true;
        }
    }

    /// <summary>Deletes one user without an account if they still qualify, by sending Delete User inside this transaction.</summary>
    public sealed record PruneUser(int RunId, int UserId, DateTimeOffset Cutoff) : ICommand<bool>, ITransactional;

    internal sealed class PruneUserHandler(PortalDbContext db, ISender sender) : ICommandHandler<PruneUser, bool>
    {
        public async ValueTask<bool> Handle(PruneUser command, CancellationToken cancellationToken)
        {
            if (await db.Users.Where(u => u.Id == command.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.CreatedAt, u => u.CreatedAt), cancellationToken) == 0
                || !await new Inactivity(db, command.Cutoff).UsersWithoutAccount().AnyAsync(u => u.Id == command.UserId, cancellationToken))
            {
                return false;
            }

            await sender.Send(new DeleteUser.Command { UserId = command.UserId, Confirm = true }, cancellationToken);
            await db.PruneRuns.Where(r => r.Id == command.RunId).ExecuteUpdateAsync(s => s.SetProperty(r => r.UsersDeleted, r => r.UsersDeleted + 1), cancellationToken);
            return true;
        }
    }

    /// <summary>A client whose deletion failed: the run says so and goes on with the next one.</summary>
    public sealed record RecordFailure(int RunId, int ClientId) : ICommand;

    internal sealed class RecordFailureHandler(PortalDbContext db) : ICommandHandler<RecordFailure>
    {
        public async ValueTask<Unit> Handle(RecordFailure command, CancellationToken cancellationToken)
        {
            await SkipAsync(db, command.RunId, command.ClientId, await NameAsync(db, command.ClientId, cancellationToken), FailedReason, cancellationToken);
            return Unit.Value;
        }
    }

    private static async Task<string> NameAsync(PortalDbContext db, int clientId, CancellationToken cancellationToken) =>
        await db.Clients.Where(c => c.Id == clientId).Select(c => new { c.FirstName, c.LastName, c.CompanyName }).SingleOrDefaultAsync(cancellationToken) is { } c
            ? Client.DisplayNameOf(c.FirstName, c.LastName, c.CompanyName)
            : "";

    private static async Task SkipAsync(PortalDbContext db, int runId, int clientId, string name, string reason, CancellationToken cancellationToken)
    {
        db.PruneRunSkips.Add(new PruneRunSkip(runId, clientId, name, reason));
        await db.SaveChangesAsync(cancellationToken);
        await db.PruneRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ClientsSkipped, r => r.ClientsSkipped + 1), cancellationToken);
    }

    /// <summary>
    /// The daily job (and Run now). It walks the qualifying clients in batches of ids, each client in its own transaction,
    /// and forgets every tracked entity after each one, so memory stays flat however many clients go.
    /// </summary>
    public sealed class Job(ISender sender, PortalDbContext db, SystemSettings settings, TimeProvider time, ILogger<Job> logger)
    {
        [AutomaticRetry(Attempts = 3)]
        [DisableConcurrentExecution(3600)]
        public async Task<PruneRun?> RunAsync(CancellationToken cancellationToken)
        {
            var setting = await settings.GetAsync(cancellationToken);
            if (setting.PruneInactiveAfterMonths is not { } months)
            {
                return null;
            }

            var inactivity = Inactivity.For(db, months, time.GetUtcNow());
            var deleteUsers = setting.PruneDeletesUsers;
            var runId = await sender.Send(new StartRun(months, deleteUsers), cancellationToken);
            try
            {
                await InBatchesAsync(
                    after => inactivity.Clients().Where(c => c.Id > after).OrderBy(c => c.Id).Select(c => c.Id),
                    async id =>
                    {
                        try
                        {
                            await sender.Send(new PruneClient(runId, id, inactivity.Cutoff, deleteUsers), cancellationToken);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            logger.LogError(e, "Data-retention run {RunId} could not delete client {ClientId}", runId, id);
                            db.ChangeTracker.Clear();
                            await sender.Send(new RecordFailure(runId, id), cancellationToken);
                        }
                    },
                    cancellationToken);
                if (deleteUsers)
                {
                    await InBatchesAsync(
                        after => inactivity.UsersWithoutAccount().Where(u => u.Id > after).OrderBy(u => u.Id).Select(u => u.Id),
                        async id =>
                        {
                            try
                            {
                                await sender.Send(new PruneUser(runId, id, inactivity.Cutoff), cancellationToken);
                            }
                            catch (Exception e) when (e is not OperationCanceledException)
                            {
                                logger.LogError(e, "Data-retention run {RunId} could not delete user {UserId}", runId, id);
                            }
                        },
                        cancellationToken);
                }
            }
            catch (Exception)
            {
                // Stopped by a shutdown or failed: the summary says so and keeps its counts; Hangfire's retry is a fresh run.
                db.ChangeTracker.Clear();
                await sender.Send(new EndRun(runId, Stopped: true), CancellationToken.None);
                throw;
            }

            await sender.Send(new EndRun(runId, Stopped: false), cancellationToken);
            return await db.PruneRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        }

        private async Task InBatchesAsync(Func<int, IQueryable<int>> idsAfter, Func<int, Task> each, CancellationToken cancellationToken)
        {
            var after = 0;
            while (true)
            {
                var batch = await idsAfter(after).Take(BatchSize).ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var id in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await each(id);
                    db.ChangeTracker.Clear();
                }

                after = batch[^1];
            }
        }
    }
}
