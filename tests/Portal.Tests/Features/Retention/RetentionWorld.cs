using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Features.Billing;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Clients;
using Portal.Features.Activity;
using Portal.Features.Retention;
using Portal.Features.Identity;
using Portal.Features.Settings;
using Portal.Tests.Features.Billing;

namespace Portal.Tests.Features.Retention;

/// <summary>Clients with (or without) the activity that keeps them, the retention setting, and runs of the job.</summary>
public static class RetentionWorld
{
    public static Task SetRetentionAsync(this SliceFixture slice, int? months, bool deleteUsers) =>
        slice.ExecuteDbContextAsync(async db =>
        {
            var settings = new SystemSettings(db);
            await settings.SetAsync(SystemSettings.PruneInactiveAfterMonthsKey, months?.ToString() ?? "");
            await settings.SetAsync(SystemSettings.PruneDeletesUsersKey, deleteUsers ? "true" : "false");
            await db.SaveChangesAsync();
        });

    /// <summary>A client created now with its own new owner, who reaches no other account.</summary>
    public static async Task<(User Owner, Client Client)> ClientAsync(this SliceFixture slice, PortalFixture portal, string company, ClientStatus status = ClientStatus.Inactive)
    {
        var owner = await slice.CreateUserAsync();
        return (owner, await portal.CreateClientAsync(owner.Id, company, status));
    }

    /// <summary>An order for one new product, placed now; its invoice is unpaid and its service Pending.</summary>
    public static async Task<Order> OrderNowAsync(this SliceFixture slice, Client client) =>
        await slice.OrderAsync(await slice.PlaceOrderAsync(client.Id, client.OwnerUserId, (await slice.ProductAsync(price: 10m, setupFee: 0m), 1)));

    /// <summary>Records a payment received on <paramref name="date"/>; a full one starts the order's services.</summary>
    public static Task PayAsync(this SliceFixture slice, Order order, decimal amount, DateTimeOffset date) =>
        slice.SendAsync(new RecordPayment.Command { InvoiceId = order.Invoice!.Id, Amount = amount, Date = DateOnly.FromDateTime(date.UtcDateTime), Method = "Bank transfer" });

    public static Task CancelOrderAsync(this SliceFixture slice, Order order) =>
        slice.SendAsync(new CancelOrder.Command { OrderId = order.Id, Decision = OrderDecision.Cancel, Reason = "Test: cancelled", Confirm = true });

    public static Task<PruneInactive.Overview> PreviewAsync(this SliceFixture slice, int? months = null, int rows = PruneInactive.PreviewRows) =>
        slice.SendAsync(new PruneInactive.Query(months, rows));

    public static Task<PruneRun?> RunAsync(this SliceFixture slice, CancellationToken cancellationToken = default) =>
        slice.ExecuteScopeAsync(services => services.GetRequiredService<PruneInactive.Job>().RunAsync(cancellationToken));

    /// <summary>A run whose mediator stops it (as a shutdown would) once <paramref name="deletions"/> clients were handled.</summary>
    public static Task<PruneRun?> RunStoppedAfterAsync(this SliceFixture slice, int deletions) =>
        slice.ExecuteScopeAsync(async services =>
        {
            using var stop = new CancellationTokenSource();
            var sender = new StoppingSender(services.GetRequiredService<ISender>(), stop, deletions);
            var job = new PruneInactive.Job(
                sender, services.GetRequiredService<PortalDbContext>(), services.GetRequiredService<SystemSettings>(), slice.Time,
                NullLogger<PruneInactive.Job>.Instance);
            return await job.RunAsync(stop.Token);
        });

    public static Task<bool> ExistsAsync(this SliceFixture slice, Client client) =>
        slice.ExecuteDbContextAsync(db => db.Clients.AnyAsync(c => c.Id == client.Id));

    public static Task<bool> ExistsAsync(this SliceFixture slice, User user) =>
        slice.ExecuteDbContextAsync(db => db.Users.AnyAsync(u => u.Id == user.Id));

    public static async Task<long> LastLogIdAsync(this SliceFixture slice) =>
        await slice.ExecuteDbContextAsync(db => db.ActivityLog.MaxAsync(e => (long?)e.Id)) ?? 0;

    public static Task<List<ActivityLogEntry>> LogSinceAsync(this SliceFixture slice, long afterId) =>
        slice.ExecuteDbContextAsync(db => db.ActivityLog.AsNoTracking().Where(e => e.Id > afterId).OrderBy(e => e.Id).ToListAsync());

    public static string DeletedEntryOf(Client client) => $"Deleted client {client.DisplayName} (#{client.Id}) with all its history";

    private sealed class StoppingSender(ISender inner, CancellationTokenSource stop, int after) : ISender
    {
        private int handled;

        public async ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default)
        {
            var response = await inner.Send(command, cancellationToken);
            if (command is PruneInactive.PruneClient && Interlocked.Increment(ref handled) == after)
            {
                await stop.CancelAsync();
            }

            return response;
        }

        public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) => inner.Send(request, cancellationToken);

        public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) => inner.Send(query, cancellationToken);

        public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => inner.Send(message, cancellationToken);

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) => inner.CreateStream(query, cancellationToken);

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) => inner.CreateStream(request, cancellationToken);

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) => inner.CreateStream(command, cancellationToken);

        public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) => inner.CreateStream(message, cancellationToken);
    }
}
