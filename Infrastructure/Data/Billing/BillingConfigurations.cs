using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Features.Billing;
using Portal.Features.Identity;
using Portal.Features.Clients;

namespace Portal.Infrastructure.Data;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.Property(p => p.Name).HasMaxLength(BillingLengths.ProductName);
        product.Property(p => p.Description).HasMaxLength(BillingLengths.Description);
        product.Property(p => p.Cycle).HasConversion<string>().HasMaxLength(16);
        product.Ignore(p => p.FirstPayment);
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.Property(o => o.Status).HasConversion<string>().HasMaxLength(24);
        order.Property(o => o.IdempotencyKey).HasMaxLength(BillingLengths.IdempotencyKey);
        order.Property(o => o.StatusReason).HasMaxLength(BillingLengths.Reason);
        order.HasIndex(o => o.IdempotencyKey).IsUnique();
        order.HasIndex(o => new { o.ClientId, o.PlacedAt });
        order.HasIndex(o => o.UserId);
        order.HasIndex(o => o.Status);
        order.HasOne<Client>().WithMany().HasForeignKey(o => o.ClientId).OnDelete(DeleteBehavior.Cascade);
        order.HasOne(o => o.User).WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Restrict);
        order.HasOne<Administrator>().WithMany().HasForeignKey(o => o.CreatedByAdminId).OnDelete(DeleteBehavior.SetNull);
        order.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
        order.HasMany(o => o.Services).WithOne(s => s.Order).HasForeignKey(s => s.OrderId).OnDelete(DeleteBehavior.Cascade);
        order.HasOne(o => o.Invoice).WithOne(i => i.Order).HasForeignKey<Invoice>(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
        order.Ignore(o => o.Total);
        order.Ignore(o => o.IsOpen);
        order.Ignore(o => o.WaitsForVerification);
        order.Ignore(o => o.ServicesMayStart);
    }
}

internal sealed class OrderReviewConfiguration : IEntityTypeConfiguration<OrderReview>
{
    public void Configure(EntityTypeBuilder<OrderReview> review)
    {
        review.HasKey(r => r.Key);
        review.Property(r => r.Key).HasMaxLength(BillingLengths.IdempotencyKey);
        review.Property(r => r.Lines).HasMaxLength(OrderLineRules.MaxLines * 80);
        review.HasIndex(r => r.ExpiresAt);
        review.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Cascade);
        review.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> item)
    {
        item.Property(i => i.Name).HasMaxLength(BillingLengths.ProductName);
        item.Property(i => i.Cycle).HasConversion<string>().HasMaxLength(16);
        item.Ignore(i => i.Amount);
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> invoice)
    {
        invoice.HasIndex(i => i.Number).IsUnique();
        invoice.HasIndex(i => new { i.ClientId, i.Status });
        invoice.HasIndex(i => new { i.Status, i.DueAt });
        invoice.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        invoice.HasOne<Client>().WithMany().HasForeignKey(i => i.ClientId).OnDelete(DeleteBehavior.Cascade);
        invoice.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        invoice.HasMany(i => i.Payments).WithOne(p => p.Invoice).HasForeignKey(p => p.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        invoice.HasMany(i => i.Refunds).WithOne(r => r.Invoice).HasForeignKey(r => r.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        invoice.Ignore(i => i.Balance);
        invoice.Ignore(i => i.Refundable);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> line) =>
        line.Property(l => l.Description).HasMaxLength(BillingLengths.LineDescription);
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("Payments");
        payment.Property(p => p.Method).HasMaxLength(BillingLengths.PaymentMethod);
        payment.Property(p => p.Reference).HasMaxLength(BillingLengths.Reference);
        payment.HasOne<Administrator>().WithMany().HasForeignKey(p => p.RecordedByAdminId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> refund)
    {
        refund.Property(r => r.Reason).HasMaxLength(BillingLengths.Reason);
        refund.HasOne<Administrator>().WithMany().HasForeignKey(r => r.RefundedByAdminId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> service)
    {
        service.Property(s => s.Name).HasMaxLength(BillingLengths.ProductName);
        service.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        service.Property(s => s.Cycle).HasConversion<string>().HasMaxLength(16);
        service.Property(s => s.CancellationKind).HasConversion<string>().HasMaxLength(16);
        service.Property(s => s.CancellationReason).HasMaxLength(BillingLengths.Reason);
        service.Property(s => s.Username).HasMaxLength(BillingLengths.Username);
        service.Property(s => s.PasswordProtected).HasMaxLength(1000);
        service.HasIndex(s => new { s.ClientId, s.Status });
        service.HasOne<Client>().WithMany().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.Cascade);
        service.HasOne<Product>().WithMany().HasForeignKey(s => s.ProductId).OnDelete(DeleteBehavior.Restrict);
        service.HasOne<User>().WithMany().HasForeignKey(s => s.CancellationRequestedByUserId).OnDelete(DeleteBehavior.SetNull);
        service.Ignore(s => s.HasCancellationRequest);
    }
}
