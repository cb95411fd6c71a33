using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Features.Billing;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Activity;
using Portal.Features.Identity;
using Portal.Features.Billing;
using Portal.Features.Membership;
using Portal.Features.Retention;
using Portal.Features.Clients;

namespace Portal.Tests.Features.Retention;

[Collection(RetentionCollection.Name)]
public sealed class PruneInactiveSliceTests(PortalFixture portal)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly SliceFixture slice = new(portal);

    /// <summary>From now to just past the end of a one-month period.</summary>
    private TimeSpan PastOneMonth => slice.Now.AddMonths(1) - slice.Now + Day;

    [Fact]
    public async Task Each_criterion_on_its_own_keeps_a_client_and_a_client_with_none_is_deleted_once_the_period_has_passed()
    {
        await slice.SetRetentionAsync(1, deleteUsers: false);
        var start = slice.Now;
        var (_, inactive) = await slice.ClientAsync(portal, "Dormant Inactive Co");
        var (_, closed) = await slice.ClientAsync(portal, "Dormant Closed Co", ClientStatus.Closed);
        var (_, active) = await slice.ClientAsync(portal, "Still Active Co", ClientStatus.Active);
        var (_, serviced) = await slice.ClientAsync(portal, "Active Service Co");
        await slice.PayAsync(await slice.OrderNowAsync(serviced), 10m, start);
        var (_, paying) = await slice.ClientAsync(portal, "Recent Payment Co");
        var payingOrder = await slice.OrderNowAsync(paying);
        await slice.CancelOrderAsync(await slice.OrderNowAsync(inactive));
        var (_, owing) = await slice.ClientAsync(portal, "Unpaid Invoice Co");
        var (_, asking) = await slice.ClientAsync(portal, "Open Ticket Co");

        slice.Time.Advance(slice.Now.AddMonths(1) - slice.Now - Day);
        await slice.RunAsync();
        Assert.True(await slice.ExistsAsync(inactive), "created within the period");
        Assert.True(await slice.ExistsAsync(closed), "created within the period");

        slice.Time.Advance(2 * Day);
        await slice.PayAsync(payingOrder, 10m, slice.Now);
        await slice.CancelOrderAsync(payingOrder);
        var owingOrder = await slice.OrderNowAsync(owing);
        await slice.PayAsync(owingOrder, 4m, start);
        await slice.CancelOrderAsync(owingOrder);
        var asker = await slice.FindAsync<User>(asking.OwnerUserId);
        await portal.TicketAsync(asking.Id, asker!.AsSender());
        var (_, recent) = await slice.ClientAsync(portal, "Recently Created Co");

        var run = await slice.RunAsync();

        Assert.NotNull(run);
        Assert.False(await slice.ExistsAsync(inactive));
        Assert.False(await slice.ExistsAsync(closed));
        Assert.True(await slice.ExistsAsync(active), "status Active");
        Assert.True(await slice.ExistsAsync(serviced), "an Active service");
        Assert.True(await slice.ExistsAsync(paying), "a payment within the period");
        Assert.True(await slice.ExistsAsync(owing), "it owes the rest of an unpaid invoice");
        Assert.True(await slice.ExistsAsync(asking), "an open ticket within the period");
        Assert.True(await slice.ExistsAsync(recent), "created within the period");

        slice.Time.Advance(PastOneMonth);
        await slice.RunAsync();

        Assert.False(await slice.ExistsAsync(paying), "the payment is older than the period now");
        Assert.True(await slice.ExistsAsync(owing), "it still owes the rest of the invoice, however old the invoice is");
        Assert.False(await slice.ExistsAsync(asking), "the open ticket has had no activity during the period");
        Assert.False(await slice.ExistsAsync(recent), "created longer ago than the period now");
        Assert.True(await slice.ExistsAsync(active));
        Assert.True(await slice.ExistsAsync(serviced));
    }

    [Fact]
    public async Task A_closed_client_that_still_owes_money_is_kept_with_its_invoice_and_payment_and_the_preview_says_why()
    {
        await slice.SetRetentionAsync(1, deleteUsers: false);
        var (_, debtor) = await slice.ClientAsync(portal, "Closed Debtor Co", ClientStatus.Closed);
        var order = await slice.OrderAsync(await slice.PlaceOrderAsync(debtor.Id, debtor.OwnerUserId, (await slice.ProductAsync(price: 104m, setupFee: 0m), 1)));
        await slice.PayAsync(order, 4m, slice.Now);
        await slice.CancelOrderAsync(order);
        slice.Time.Advance(PastOneMonth + PastOneMonth);

        var preview = (await slice.PreviewAsync(1, rows: int.MaxValue)).Preview;
        await slice.RunAsync();

        Assert.True(await slice.ExistsAsync(debtor));
        Assert.Equal(1, await slice.ExecuteDbContextAsync(db => db.Payments.CountAsync(p => p.InvoiceId == order.Invoice!.Id)));
        Assert.DoesNotContain(preview.Clients, c => c.Id == debtor.Id);
        var kept = Assert.Single(preview.Kept, k => k.Id == debtor.Id);
        Assert.Equal([Inactivity.OwesReason], kept.Reasons);
        Assert.Equal(100m, kept.Owed);
    }

    [Fact]
    public async Task A_payment_recorded_within_the_period_keeps_a_client_whatever_date_was_typed_for_it()
    {
        await slice.SetRetentionAsync(1, deleteUsers: false);
        var start = slice.Now;
        var (_, client) = await slice.ClientAsync(portal, "Backdated Payment Co");
        slice.Time.Advance(PastOneMonth + PastOneMonth);
        var order = await slice.OrderNowAsync(client);
        await slice.PayAsync(order, 10m, start.AddYears(-1));
        await slice.CancelOrderAsync(order);

        var preview = (await slice.PreviewAsync(1, rows: int.MaxValue)).Preview;
        await slice.RunAsync();

        Assert.True(await slice.ExistsAsync(client), "the payment was recorded today, though typed as a year old");
        Assert.Equal([Inactivity.PaidReason], Assert.Single(preview.Kept, k => k.Id == client.Id).Reasons);

        slice.Time.Advance(PastOneMonth);
        await slice.RunAsync();

        Assert.False(await slice.ExistsAsync(client), "recorded longer ago than the period now");
    }

    [Fact]
    public async Task Never_deletes_nothing_and_leaves_no_run()
    {
        await slice.SetRetentionAsync(null, deleteUsers: true);
        var (_, dormant) = await slice.ClientAsync(portal, "Never Pruned Co");
        slice.Time.Advance(PastOneMonth);

        var run = await slice.RunAsync();

        Assert.Null(run);
        Assert.True(await slice.ExistsAsync(dormant));
    }

    [Fact]
    public async Task With_the_toggle_a_user_only_in_the_pruned_client_is_deleted_and_a_user_of_another_client_keeps_that_association_without_it_both_stay()
    {
        await slice.SetRetentionAsync(1, deleteUsers: false);
        var (_, elsewhere) = await slice.ClientAsync(portal, "Elsewhere Active Co", ClientStatus.Active);
        var (keptOwner, prunedWithoutToggle) = await slice.ClientAsync(portal, "Pruned Without Users Co");
        var sharedA = await slice.CreateUserAsync();
        await slice.AssociateAsync(prunedWithoutToggle.Id, sharedA.Id, Permission.Tickets);
        await slice.AssociateAsync(elsewhere.Id, sharedA.Id, Permission.Invoices);
        var (onlyHere, prunedWithToggle) = await slice.ClientAsync(portal, "Pruned With Users Co");
        var sharedB = await slice.CreateUserAsync();
        await slice.AssociateAsync(prunedWithToggle.Id, sharedB.Id, Permission.Tickets);
        await slice.AssociateAsync(elsewhere.Id, sharedB.Id, Permission.Invoices);
        slice.Time.Advance(PastOneMonth);

        await slice.SendAsync(new PruneInactive.PruneClient(await StartRunAsync(false), prunedWithoutToggle.Id, slice.Now.AddMonths(-1), false));

        Assert.False(await slice.ExistsAsync(prunedWithoutToggle));
        Assert.True(await slice.ExistsAsync(keptOwner));
        Assert.True(await slice.ExistsAsync(sharedA));

        var before = await slice.PreviewAsync(1, rows: int.MaxValue);
        Assert.Contains(before.Preview.UsersWithoutAccount, u => u.Id == keptOwner.Id);
        Assert.Contains(before.Preview.Users, u => u.Id == onlyHere.Id);
        Assert.DoesNotContain(before.Preview.Users, u => u.Id == sharedB.Id);
        await slice.SetRetentionAsync(1, deleteUsers: true);

        await slice.RunAsync();

        Assert.False(await slice.ExistsAsync(prunedWithToggle));
        Assert.False(await slice.ExistsAsync(onlyHere));
        Assert.False(await slice.ExistsAsync(keptOwner), "a user without an account, not logged in for the period, goes with the toggle on");
        Assert.True(await slice.ExistsAsync(sharedB));
        Assert.True(await slice.ExistsAsync(sharedA));
        var associations = await slice.ExecuteDbContextAsync(db => db.ClientUsers.Include(cu => cu.Client).Where(cu => cu.UserId == sharedA.Id || cu.UserId == sharedB.Id).ToListAsync());
        Assert.All(associations, cu => Assert.Equal(elsewhere.Id, cu.ClientId));
        Assert.Equal(2, associations.Count);
        Assert.All(associations, cu => Assert.True(cu.Permissions.Has(Permission.Invoices)));
    }

    [Fact]
    public async Task The_preview_lists_exactly_what_the_run_then_deletes()
    {
        await slice.SetRetentionAsync(1, deleteUsers: true);
        var (_, keeper) = await slice.ClientAsync(portal, "Preview Keeper Co", ClientStatus.Active);
        var clients = new List<Client>();
        for (var i = 0; i < 4; i++)
        {
            var (_, client) = await slice.ClientAsync(portal, $"Preview Dormant {i} Co", i % 2 == 0 ? ClientStatus.Inactive : ClientStatus.Closed);
            clients.Add(client);
        }

        var colleague = await slice.CreateUserAsync();
        await slice.AssociateAsync(clients[0].Id, colleague.Id, Permission.Tickets);
        await slice.AssociateAsync(keeper.Id, colleague.Id, Permission.Tickets);
        var loner = await slice.CreateUserAsync();
        slice.Time.Advance(PastOneMonth);

        var preview = (await slice.PreviewAsync(rows: int.MaxValue)).Preview;
        var from = await slice.LastLogIdAsync();
        var run = await slice.RunAsync();

        Assert.Equal(preview.ClientCount, preview.Clients.Count);
        Assert.Superset(clients.Select(c => c.Id).ToHashSet(), preview.Clients.Select(c => c.Id).ToHashSet());
        Assert.DoesNotContain(preview.Clients, c => c.Id == keeper.Id);
        Assert.Contains(preview.UsersWithoutAccount, u => u.Id == loner.Id);
        Assert.DoesNotContain(preview.Users, u => u.Id == colleague.Id);
        Assert.Equal(preview.ClientCount, run!.ClientsDeleted);
        Assert.Equal(preview.UserCount + preview.UsersWithoutAccountCount, run.UsersDeleted);
        Assert.Equal(0, run.ClientsSkipped);
        var log = await slice.LogSinceAsync(from);
        Assert.Equal(preview.Clients.Select(c => c.Id).Order(), log.Where(e => e.Description.StartsWith("Deleted client ")).Select(e => e.ClientId!.Value).Order());
        Assert.Equal(
            preview.Users.Concat(preview.UsersWithoutAccount).Select(u => u.Email).Order(),
            log.SelectMany(DeletedEmails).Order());
        foreach (var user in preview.Users.Concat(preview.UsersWithoutAccount))
        {
            Assert.Null(await slice.FindAsync<User>(user.Id));
        }

        Assert.True(await slice.ExistsAsync(keeper));
        Assert.True(await slice.ExistsAsync(colleague));
    }

    [Fact]
    public async Task A_client_that_paid_after_the_preview_is_kept_by_the_check_inside_its_transaction_and_the_run_says_why()
    {
        await slice.SetRetentionAsync(1, deleteUsers: false);
        var (_, client) = await slice.ClientAsync(portal, "Paid Late Co");
        var order = await slice.OrderNowAsync(client);
        await slice.CancelOrderAsync(order);
        var (_, other) = await slice.ClientAsync(portal, "Paid Late Neighbour Co");
        slice.Time.Advance(PastOneMonth);
        Assert.Contains((await slice.PreviewAsync()).Preview.Clients, c => c.Id == client.Id);
        var runId = await StartRunAsync(false);

        await slice.SendAsync(new PruneInactive.PruneClient(runId, other.Id, slice.Now.AddMonths(-1), false));
        await slice.ExecuteDbContextAsync(db => db.Services.Where(s => s.ClientId == client.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, ServiceStatus.Suspended)));
        var deleted = await slice.SendAsync(new PruneInactive.PruneClient(runId, client.Id, slice.Now.AddMonths(-1), false));
        var again = await slice.SendAsync(new PruneInactive.PruneClient(runId, other.Id, slice.Now.AddMonths(-1), false));

        Assert.False(deleted);
        Assert.False(again);
        Assert.True(await slice.ExistsAsync(client));
        var run = await slice.ExecuteDbContextAsync(db => db.PruneRuns.Include(r => r.Skips).SingleAsync(r => r.Id == runId));
        Assert.Equal(1, run.ClientsDeleted);
        Assert.Equal(2, run.ClientsSkipped);
        Assert.Contains(run.Skips, s => s.ClientId == client.Id && s.ClientName == client.DisplayName && s.Reason == "kept: it has an Active, Pending or Suspended service");
        Assert.Contains(run.Skips, s => s.ClientId == other.Id && s.Reason == PruneInactive.GoneReason);
    }

    [Fact]
    public async Task A_second_run_deletes_and_logs_nothing()
    {
        await slice.SetRetentionAsync(1, deleteUsers: true);
        var (owner, client) = await slice.ClientAsync(portal, "Pruned Once Co");
        slice.Time.Advance(PastOneMonth);
        var first = await slice.RunAsync();
        Assert.True(first!.ClientsDeleted >= 1);
        Assert.False(await slice.ExistsAsync(owner));
        var from = await slice.LastLogIdAsync();

        var second = await slice.RunAsync();

        Assert.Equal(0, second!.ClientsDeleted);
        Assert.Equal(0, second.UsersDeleted);
        Assert.Equal(0, second.ClientsSkipped);
        Assert.Empty(await slice.LogSinceAsync(from));
        Assert.Single(await slice.ActivityForAsync(client.Id), RetentionWorld.DeletedEntryOf(client) + $"; deleted users only associated with it: {owner.Email}");
    }

    [Fact]
    public async Task Two_runs_at_once_delete_and_log_each_client_once()
    {
        await slice.SetRetentionAsync(1, deleteUsers: true);
        var clients = new List<Client>();
        for (var i = 0; i < 12; i++)
        {
            clients.Add((await slice.ClientAsync(portal, $"Raced {i} Co")).Client);
        }

        slice.Time.Advance(PastOneMonth);
        var expected = (await slice.PreviewAsync()).Preview;
        var from = await slice.LastLogIdAsync();

        var runs = await Task.WhenAll(Task.Run(() => slice.RunAsync()), Task.Run(() => slice.RunAsync()));

        foreach (var client in clients)
        {
            Assert.False(await slice.ExistsAsync(client));
        }

        var log = await slice.LogSinceAsync(from);
        Assert.Equal(expected.ClientCount, log.Count(e => e.Description.StartsWith("Deleted client ")));
        Assert.All(clients, c => Assert.Single(log, e => e.Description.StartsWith(RetentionWorld.DeletedEntryOf(c))));
        Assert.Equal(expected.ClientCount, runs.Sum(r => r!.ClientsDeleted));
        Assert.Equal(expected.UserCount + expected.UsersWithoutAccountCount, runs.Sum(r => r!.UsersDeleted));
        Assert.Equal(log.SelectMany(DeletedEmails).Count(), runs.Sum(r => r!.UsersDeleted));
    }

    [Fact]
    public async Task A_run_stopped_half_way_and_run_again_finishes_the_job_with_one_entry_per_client_and_its_summary_matches_the_log()
    {
        await slice.SetRetentionAsync(1, deleteUsers: false);
        var clients = new List<Client>();
        for (var i = 0; i < 8; i++)
        {
            clients.Add((await slice.ClientAsync(portal, $"Interrupted {i} Co")).Client);
        }

        slice.Time.Advance(PastOneMonth);
        var expected = (await slice.PreviewAsync()).Preview.ClientCount;
        var from = await slice.LastLogIdAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slice.RunStoppedAfterAsync(3));

        var stopped = await slice.ExecuteDbContextAsync(db => db.PruneRuns.OrderByDescending(r => r.Id).FirstAsync());
        Assert.Equal(PruneRunState.Stopped, stopped.State);
        Assert.Equal(3, stopped.ClientsDeleted);
        Assert.Equal(3, (await slice.LogSinceAsync(from)).Count(e => e.Description.StartsWith("Deleted client ")));

        var rerun = await slice.RunAsync();

        Assert.Equal(PruneRunState.Finished, rerun!.State);
        Assert.Equal(expected - 3, rerun.ClientsDeleted);
        var log = await slice.LogSinceAsync(from);
        Assert.Equal(expected, log.Count(e => e.Description.StartsWith("Deleted client ")));
        Assert.All(clients, c => Assert.Single(log, e => e.Description.StartsWith(RetentionWorld.DeletedEntryOf(c))));
        foreach (var client in clients)
        {
            Assert.False(await slice.ExistsAsync(client));
        }
    }

    [Fact]
    public async Task Every_entry_of_a_run_is_attributed_to_System_with_no_IP_and_the_run_summary_matches_the_log()
    {
        await slice.SetRetentionAsync(1, deleteUsers: true);
        var (owner, client) = await slice.ClientAsync(portal, "System Pruned Co");
        var colleague = await slice.CreateUserAsync();
        await slice.AssociateAsync(client.Id, colleague.Id, Permission.Tickets);
        var loner = await slice.CreateUserAsync();
        slice.Time.Advance(PastOneMonth);
        var from = await slice.LastLogIdAsync();

        var run = await slice.RunAsync();

        var log = await slice.LogSinceAsync(from);
        Assert.NotEmpty(log);
        Assert.All(log, e =>
        {
            Assert.True(e.IsSystem, e.Description);
            Assert.Null(e.IpAddress);
        });
        Assert.Equal(run!.ClientsDeleted, log.Count(e => e.Description.StartsWith("Deleted client ")));
        Assert.Equal(run.UsersDeleted, log.SelectMany(DeletedEmails).Count());
        var entry = Assert.Single(log, e => e.ClientId == client.Id);
        Assert.Contains(owner.Email!, entry.Description);
        Assert.Contains(colleague.Email!, entry.Description);
        Assert.Single(log, e => e.Description == $"Permanently deleted user {loner.Email} (#{loner.Id})");
        Assert.Equal(PruneRunState.Finished, run.State);
        Assert.Equal(slice.Now, run.FinishedAt);
    }

    private Task<int> StartRunAsync(bool deleteUsers) => slice.SendAsync(new PruneInactive.StartRun(1, deleteUsers));

    /// <summary>The e-mail addresses of the users a log entry says were deleted.</summary>
    private static IEnumerable<string> DeletedEmails(ActivityLogEntry entry)
    {
        const string users = "; deleted users only associated with it: ";
        if (entry.Description.StartsWith("Permanently deleted user "))
        {
            return [entry.Description["Permanently deleted user ".Length..entry.Description.LastIndexOf(" (#", StringComparison.Ordinal)]];
        }

        var at = entry.Description.IndexOf(users, StringComparison.Ordinal);
        return at < 0 || entry.Description.EndsWith(users + "none") ? [] : entry.Description[(at + users.Length)..].Split(", ");
    }
}
