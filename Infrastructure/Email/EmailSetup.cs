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
/// instance serves every (pooled) context: what a save queued is kept beside its context until the save ends.
/// </summary>
public sealed class OutboxDispatchInterceptor(IBackgroundJobClient jobs) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.DbContext, List<EmailMessage>> _queued = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var context = eventData.Context!;
        var added = context.ChangeTracker.Entries<EmailMessage>()
            .Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        if (added.Count > 0)
        {
            _queued.GetOrCreateValue(context).AddRange(added);
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (_queued.TryGetValue(eventData.Context!, out var queued))
        {
            foreach (var message in queued)
            {
                var id = message.Id;
                jobs.Enqueue<OutboxSender>(s => s.SendAsync(id, CancellationToken.None));
            }

            _queued.Remove(eventData.Context!);
        }

        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    /// <summary>A failed save sends nothing; its messages are collected again if the same changes are saved again.</summary>
    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _queued.Remove(eventData.Context!);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }
}
