using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Features.Membership;
using Portal.Features.Retention;
using Portal.Features.Identity;
using Portal.Features.Clients;
using Portal.Features.Settings;
using Portal.Features.Shared;
using Portal.Features.Activity;

namespace Portal.Infrastructure.Data;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.FirstName).HasMaxLength(FieldLengths.Name);
        user.Property(u => u.LastName).HasMaxLength(FieldLengths.Name);
        user.Property(u => u.TimeZone).HasMaxLength(FieldLengths.TimeZone);
        user.HasIndex(u => u.NormalizedEmail).IsUnique();
        user.HasOne<Administrator>().WithMany().HasForeignKey(u => u.IdentityVerifiedByAdminId).OnDelete(DeleteBehavior.SetNull);
        user.Ignore(u => u.IsIdentityVerified);
    }
}

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> client)
    {
        client.Property(c => c.FirstName).HasMaxLength(FieldLengths.Name);
        client.Property(c => c.LastName).HasMaxLength(FieldLengths.Name);
        client.Property(c => c.CompanyName).HasMaxLength(FieldLengths.Company);
        client.Property(c => c.Email).HasMaxLength(FieldLengths.Email);
        client.Property(c => c.Address1).HasMaxLength(FieldLengths.Address);
        client.Property(c => c.City).HasMaxLength(FieldLengths.Name);
        client.Property(c => c.State).HasMaxLength(FieldLengths.Name);
        client.Property(c => c.Postcode).HasMaxLength(FieldLengths.Postcode);
        client.Property(c => c.Country).HasMaxLength(FieldLengths.Country);
        client.Property(c => c.Phone).HasMaxLength(FieldLengths.Phone);
        client.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        client.Property(c => c.ClosureReason).HasMaxLength(Client.ClosureReasonMax);
        client.HasOne(c => c.Owner).WithMany().HasForeignKey(c => c.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
        client.HasIndex(c => c.Email);
        client.HasIndex(c => new { c.CreatedAt, c.Id }); // the admin home's newest clients, and the list sorted by Created
        client.Ignore(c => c.DisplayName);
    }
}

internal sealed class ClientUserConfiguration : IEntityTypeConfiguration<ClientUser>
{
    public void Configure(EntityTypeBuilder<ClientUser> clientUser)
    {
        clientUser.HasIndex(cu => new { cu.ClientId, cu.UserId }).IsUnique();
        clientUser.HasIndex(cu => cu.UserId);
        clientUser.HasOne(cu => cu.Client).WithMany(c => c.Users).HasForeignKey(cu => cu.ClientId).OnDelete(DeleteBehavior.Cascade);
        clientUser.HasOne(cu => cu.User).WithMany(u => u.Accounts).HasForeignKey(cu => cu.UserId).OnDelete(DeleteBehavior.Cascade);
        clientUser.Property(cu => cu.StoredPermissions).HasColumnName("Permissions").HasMaxLength(400);
        clientUser.Property(cu => cu.Version).IsConcurrencyToken();
        clientUser.Ignore(cu => cu.Permissions);
        clientUser.Ignore(cu => cu.IsOwner);
    }
}

internal sealed class AdminConfiguration : IEntityTypeConfiguration<Administrator>
{
    public void Configure(EntityTypeBuilder<Administrator> admin)
    {
        admin.Property(a => a.Email).HasMaxLength(FieldLengths.Email);
        admin.Property(a => a.NormalizedEmail).HasMaxLength(FieldLengths.Email);
        admin.HasIndex(a => a.NormalizedEmail).IsUnique();
        admin.Property(a => a.FirstName).HasMaxLength(FieldLengths.Name);
        admin.Property(a => a.LastName).HasMaxLength(FieldLengths.Name);
        admin.Property(a => a.AuthenticatorKey).HasMaxLength(1000);
    }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> session)
    {
        session.Property(s => s.Id).HasMaxLength(64);
        session.Property(s => s.IpAddress).HasMaxLength(64);
        session.Property(s => s.UserAgent).HasMaxLength(Session.UserAgentMax);
        session.HasIndex(s => s.UserId);
        session.HasIndex(s => s.AdminId);
        session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.HasOne<Administrator>().WithMany().HasForeignKey(s => s.AdminId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> code)
    {
        code.Property(c => c.Hash).HasMaxLength(64);
        code.HasIndex(c => c.UserId);
        code.HasIndex(c => c.AdminId);
        code.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        code.HasOne<Administrator>().WithMany().HasForeignKey(c => c.AdminId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<Passkey>
{
    public void Configure(EntityTypeBuilder<Passkey> passkey)
    {
        passkey.Property(p => p.CredentialId).HasMaxLength(Passkey.CredentialIdMax);
        passkey.HasIndex(p => p.CredentialId).IsUnique();
        passkey.Property(p => p.PublicKey).HasMaxLength(2048);
        passkey.Property(p => p.Name).HasMaxLength(Passkey.NameMax);
        passkey.HasIndex(p => p.UserId);
        passkey.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdentityDocumentConfiguration : IEntityTypeConfiguration<IdentityDocument>
{
    public void Configure(EntityTypeBuilder<IdentityDocument> document)
    {
        document.Property(d => d.FileName).HasMaxLength(IdentityDocument.FileNameMax);
        document.Property(d => d.RejectionReason).HasMaxLength(IdentityDocument.ReasonMax);
        document.Property(d => d.Kind).HasConversion<string>().HasMaxLength(8);
        document.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        document.HasIndex(d => new { d.UserId, d.Status });
        document.HasIndex(d => d.Status);
        document.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        document.HasOne<Administrator>().WithMany().HasForeignKey(d => d.DecidedByAdminId).OnDelete(DeleteBehavior.SetNull);
        document.Ignore(d => d.IsPending);
    }
}

internal sealed class UsedPasskeyChallengeConfiguration : IEntityTypeConfiguration<UsedPasskeyChallenge>
{
    public void Configure(EntityTypeBuilder<UsedPasskeyChallenge> challenge)
    {
        challenge.HasKey(c => c.Hash);
        challenge.Property(c => c.Hash).HasMaxLength(64);
        challenge.HasIndex(c => c.ExpiresAt);
    }
}

internal sealed class ActivityLogEntryConfiguration : IEntityTypeConfiguration<ActivityLogEntry>
{
    public void Configure(EntityTypeBuilder<ActivityLogEntry> entry)
    {
        entry.ToTable("ActivityLog");
        entry.Property(e => e.Description).HasMaxLength(2000);
        entry.Property(e => e.IpAddress).HasMaxLength(64);
        // Every list of the log reads newest first by (At, Id), whole or for one client, user or admin: each index
        // serves one of them directly, so a page costs the same at a million rows as at a thousand.
        entry.HasIndex(e => new { e.At, e.Id });
        entry.HasIndex(e => new { e.ClientId, e.At, e.Id });
        entry.HasIndex(e => new { e.UserId, e.At, e.Id });
        entry.HasIndex(e => new { e.AdminId, e.At, e.Id });
        entry.Ignore(e => e.IsSystem);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.Property(i => i.Email).HasMaxLength(FieldLengths.Email);
        invitation.Property(i => i.TokenHash).HasMaxLength(64);
        invitation.HasIndex(i => i.TokenHash).IsUnique();
        invitation.HasIndex(i => new { i.ClientId, i.Status });
        invitation.Property(i => i.Permissions).HasMaxLength(400);
        invitation.Property(i => i.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        invitation.Property(i => i.TokenHash).IsConcurrencyToken();
        invitation.HasOne(i => i.Client).WithMany().HasForeignKey(i => i.ClientId).OnDelete(DeleteBehavior.Cascade);
        invitation.Ignore(i => i.PermissionSet);
    }
}

internal sealed class OwnershipTransferConfiguration : IEntityTypeConfiguration<OwnershipTransfer>
{
    public void Configure(EntityTypeBuilder<OwnershipTransfer> transfer)
    {
        transfer.Property(t => t.TokenHash).HasMaxLength(64);
        transfer.HasIndex(t => t.TokenHash).IsUnique();
        transfer.HasIndex(t => new { t.ClientId, t.Status });
        transfer.HasIndex(t => new { t.ToUserId, t.Status });
        transfer.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        transfer.HasOne(t => t.Client).WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Cascade);
        transfer.HasOne(t => t.FromUser).WithMany().HasForeignKey(t => t.FromUserId).OnDelete(DeleteBehavior.Cascade);
        transfer.HasOne(t => t.ToUser).WithMany().HasForeignKey(t => t.ToUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> message)
    {
        message.Property(m => m.To).HasMaxLength(FieldLengths.Email);
        message.Property(m => m.Subject).HasMaxLength(400);
        message.Property(m => m.LastError).HasMaxLength(500);
        message.HasIndex(m => m.SentAt);
        message.Property(m => m.Kind).HasMaxLength(60);
        message.Property(m => m.AutoSubmitted).HasMaxLength(20);
        message.Property(m => m.ReplyTo).HasMaxLength(FieldLengths.Email);
        message.HasIndex(m => new { m.ClientId, m.Id });
        message.HasOne<Client>().WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> setting)
    {
        setting.HasKey(s => s.Key);
        setting.Property(s => s.Key).HasMaxLength(100);
        setting.Property(s => s.Value).HasMaxLength(400);
    }
}

internal sealed class PruneRunConfiguration : IEntityTypeConfiguration<PruneRun>
{
    public void Configure(EntityTypeBuilder<PruneRun> run)
    {
        run.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        run.HasIndex(r => r.StartedAt);
        run.HasMany(r => r.Skips).WithOne().HasForeignKey(s => s.PruneRunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PruneRunSkipConfiguration : IEntityTypeConfiguration<PruneRunSkip>
{
    public void Configure(EntityTypeBuilder<PruneRunSkip> skip)
    {
        skip.Property(s => s.ClientName).HasMaxLength(FieldLengths.Company + (2 * FieldLengths.Name) + 4);
        skip.Property(s => s.Reason).HasMaxLength(500);
    }
}
