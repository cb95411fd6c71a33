using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;
using Portal.Features.Shared;

namespace Portal.Infrastructure.Email;

public static class EmailSetup
{
    public static IServiceCollection AddPortalEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection("Mail"));
        services.Configure<PortalOptions>(configuration.GetSection("Portal"));
        // Identity's reset tokens live as long as the password e-mails say they do, from the same setting.
        services.AddOptions<DataProtectionTokenProviderOptions>()
            .Configure<IOptions<PortalOptions>>((tokens, portal) => tokens.TokenLifespan = portal.Value.PasswordLinkLifetime);
        services.AddScoped<Outbox>();
        services.AddScoped<OutboxSender>();
        services.AddScoped<IMailTransport>(sp =>
            string.IsNullOrWhiteSpace(configuration["Mail:Smtp:Host"])
                ? ActivatorUtilities.CreateInstance<PickupDirectoryTransport>(sp)
                : ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp));
        return services;
    }
}

/// <summary>
/// After a save that queued e-mail, asks the job server to send each message now (the sweep is the safety net). One
/// instance serves every (pooled) context: what a save queued is kept beside its context until the save ends, and when the
/// save is part of a transaction (a write unit), until the transaction commits: a job must not look for a message that
/// is not committed yet, nor for one that is rolled back, and enqueueing (a write to the job storage) is not done while
/// the unit holds its lock.
/// </summary>
public sealed class OutboxDispatchInterceptor(IBackgroundJobClient jobs) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.DbContext, List<EmailMessage>> _queued = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.DbContext, List<EmailMessage>> _committing = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context!);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context!);
        return base.SavingChanges(eventData, result);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context!);
        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context!);
        return base.SavedChanges(eventData, result);
    }

    /// <summary>A failed save sends nothing; its messages are collected again if the same changes are saved again.</summary>
    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _queued.Remove(eventData.Context!);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        _queued.Remove(eventData.Context!);
        base.SaveChangesFailed(eventData);
    }

    /// <summary>A save refused by a concurrency token sends nothing either (it ends without <see cref="SaveChangesFailed"/>).</summary>
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        _queued.Remove(eventData.Context!);
        return result;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        _queued.Remove(eventData.Context!);
        return ValueTask.FromResult(result);
    }

    /// <summary>The transaction of <paramref name="context"/> committed: what its saves queued is sent now.</summary>
    internal void Committed(Microsoft.EntityFrameworkCore.DbContext context)
    {
        if (_committing.TryGetValue(context, out var messages))
        {
            _committing.Remove(context);
            Enqueue(messages);
        }
    }

    /// <summary>The transaction began or ended without a commit: nothing of it is sent.</summary>
    internal void Forget(Microsoft.EntityFrameworkCore.DbContext context) => _committing.Remove(context);

    private void Collect(Microsoft.EntityFrameworkCore.DbContext context)
    {
        var added = context.ChangeTracker.Entries<EmailMessage>()
            .Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        if (added.Count > 0)
        {
            _queued.GetOrCreateValue(context).AddRange(added);
        }
    }

    private void Saved(Microsoft.EntityFrameworkCore.DbContext context)
    {
        if (!_queued.TryGetValue(context, out var queued))
        {
            return;
        }

        _queued.Remove(context);
        if (context.Database.CurrentTransaction is not null)
        {
            _committing.GetOrCreateValue(context).AddRange(queued);
        }
        else
        {
            Enqueue(queued);
        }
    }

    private void Enqueue(IEnumerable<EmailMessage> messages)
    {
        foreach (var message in messages)
        {
            var id = message.Id;
            jobs.Enqueue<OutboxSender>(s => s.SendAsync(id, CancellationToken.None));
        }
    }
}

/// <summary>Tells <see cref="OutboxDispatchInterceptor"/> when a transaction begins, commits or fails.</summary>
public sealed class OutboxCommitInterceptor(OutboxDispatchInterceptor outbox) : DbTransactionInterceptor
{
    public override ValueTask<System.Data.Common.DbTransaction> TransactionStartedAsync(System.Data.Common.DbConnection connection, TransactionEndEventData eventData, System.Data.Common.DbTransaction result, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return base.TransactionStartedAsync(connection, eventData, result, cancellationToken);
    }

    public override System.Data.Common.DbTransaction TransactionStarted(System.Data.Common.DbConnection connection, TransactionEndEventData eventData, System.Data.Common.DbTransaction result)
    {
        Forget(eventData);
        return base.TransactionStarted(connection, eventData, result);
    }

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            outbox.Committed(context);
        }

        return base.TransactionCommittedAsync(transaction, eventData, cancellationToken);
    }

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            outbox.Committed(context);
        }

        base.TransactionCommitted(transaction, eventData);
    }

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return base.TransactionRolledBackAsync(transaction, eventData, cancellationToken);
    }

    public override Task TransactionFailedAsync(System.Data.Common.DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            outbox.Forget(context);
        }

        return base.TransactionFailedAsync(transaction, eventData, cancellationToken);
    }

    private void Forget(TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            outbox.Forget(context);
        }
    }
}
