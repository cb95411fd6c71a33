using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Support;
using Portal.Features.Settings;
using Portal.Features.Shared;
using Portal.Features.Retention;
using Portal.Features.Billing;
using Portal.Features.Activity;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Features.Clients;

namespace Portal.Infrastructure.Data;

/// <summary>
/// The one model of Portal. On SQLite it is used as it is; on PostgreSQL as <see cref="PostgresPortalDbContext"/>, which
/// only gives the same model its own migrations.
/// </summary>
public class PortalDbContext : IdentityUserContext<User, int>, IDataProtectionKeyContext
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options)
        : base(options)
    {
    }

    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Client> Clients => Set<Client>();
    public DbSet<ClientUser> ClientUsers => Set<ClientUser>();
    public DbSet<Administrator> Admins => Set<Administrator>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();
    public DbSet<Passkey> Passkeys => Set<Passkey>();
    public DbSet<IdentityDocument> IdentityDocuments => Set<IdentityDocument>();
    public DbSet<UsedPasskeyChallenge> UsedPasskeyChallenges => Set<UsedPasskeyChallenge>();
    public DbSet<ActivityLogEntry> ActivityLog => Set<ActivityLogEntry>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<OwnershipTransfer> OwnershipTransfers => Set<OwnershipTransfer>();
    public DbSet<EmailMessage> EmailMessages => Set<EmailMessage>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<Portal.Features.Support.Department> Departments => Set<Portal.Features.Support.Department>();
    public DbSet<Portal.Features.Support.Ticket> Tickets => Set<Portal.Features.Support.Ticket>();
    public DbSet<Portal.Features.Support.TicketReply> TicketReplies => Set<Portal.Features.Support.TicketReply>();
    public DbSet<Portal.Features.Support.Contact> Contacts => Set<Portal.Features.Support.Contact>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderReview> OrderReviews => Set<OrderReview>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<PruneRun> PruneRuns => Set<PruneRun>();
    public DbSet<PruneRunSkip> PruneRunSkips => Set<PruneRunSkip>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        builder.HasDbFunction(typeof(FoldedText).GetMethod(nameof(FoldedText.Contains))!).HasName(FoldedText.FunctionName);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite cannot order or compare DateTimeOffset columns; UTC ticks sort correctly on every provider.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        builder.Properties<decimal>().HaveConversion<MinorUnitsConverter>();
    }
}
