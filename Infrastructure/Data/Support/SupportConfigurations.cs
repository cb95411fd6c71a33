using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Features.Support;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Shared;

namespace Portal.Infrastructure.Data.Support;

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> department)
    {
        department.Property(d => d.Name).HasMaxLength(FieldLengths.Name);
        department.Property(d => d.Email).HasMaxLength(FieldLengths.Email);
        department.HasIndex(d => d.Email).IsUnique();
    }
}

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.Property(t => t.Reference).HasMaxLength(Ticket.ReferenceLength);
        ticket.HasIndex(t => t.Reference).IsUnique();
        ticket.Property(t => t.Subject).HasMaxLength(SupportLengths.Subject);
        ticket.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        ticket.Property(t => t.Priority).HasConversion<string>().HasMaxLength(16);
        ticket.Property(t => t.RequesterEmail).HasMaxLength(FieldLengths.Email);
        ticket.Property(t => t.RequesterName).HasMaxLength(FieldLengths.Name * 2);
        ticket.Property(t => t.GuestTokenHash).HasMaxLength(64);
        ticket.HasIndex(t => t.GuestTokenHash);
        ticket.HasIndex(t => new { t.ClientId, t.LastReplyAt });
        ticket.HasIndex(t => t.LastReplyAt);
        ticket.HasOne<Client>().WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Cascade);
        ticket.HasOne(t => t.Department).WithMany().HasForeignKey(t => t.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne<User>().WithMany().HasForeignKey(t => t.RequesterUserId).OnDelete(DeleteBehavior.SetNull);
        ticket.Ignore(t => t.PublicReference);
    }
}

internal sealed class TicketReplyConfiguration : IEntityTypeConfiguration<TicketReply>
{
    public void Configure(EntityTypeBuilder<TicketReply> reply)
    {
        reply.Property(r => r.SenderEmail).HasMaxLength(FieldLengths.Email);
        reply.Property(r => r.NormalizedSenderEmail).HasMaxLength(FieldLengths.Email);
        reply.Property(r => r.SenderName).HasMaxLength(FieldLengths.Name * 2);
        reply.Property(r => r.Message).HasMaxLength(SupportLengths.Message);
        reply.Property(r => r.MessageId).HasMaxLength(400);
        reply.HasIndex(r => r.MessageId);
        reply.Property(r => r.MessageKey).HasMaxLength(64);
        reply.HasIndex(r => r.MessageKey).IsUnique();
        reply.Property(r => r.Channel).HasConversion<string>().HasMaxLength(16);

        // The per-sender limit and acknowledgement count of inbound mail.
        reply.HasIndex(r => new { r.NormalizedSenderEmail, r.At });
        reply.HasIndex(r => r.TicketId);
        reply.HasOne(r => r.Ticket).WithMany(t => t.Replies).HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
        reply.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> contact)
    {
        contact.Property(c => c.Name).HasMaxLength(FieldLengths.Name * 2);
        contact.Property(c => c.Email).HasMaxLength(FieldLengths.Email);
        contact.Property(c => c.NormalizedEmail).HasMaxLength(FieldLengths.Email);
        contact.Property(c => c.Phone).HasMaxLength(FieldLengths.Phone);
        contact.Property(c => c.Role).HasMaxLength(FieldLengths.Name);
        contact.HasIndex(c => new { c.ClientId, c.NormalizedEmail });
        contact.HasIndex(c => c.NormalizedEmail);
        contact.Property(c => c.ConfirmationTokenHash).HasMaxLength(64);
        contact.HasIndex(c => c.ConfirmationTokenHash);
        contact.Ignore(c => c.IsConfirmed);
        contact.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Column sizes of the support tables, shared with the validators.</summary>
public static class SupportLengths
{
    public const int Subject = 200;
    public const int Message = 20_000;
}
