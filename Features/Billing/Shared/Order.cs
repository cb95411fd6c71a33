using Portal.Features.Identity;
namespace Portal.Features.Billing;

public enum OrderStatus
{
    Pending,
    PendingVerification,
    Accepted,
    Cancelled,
    Fraud,
}

/// <summary>How an admin ends an order: cancelled, or marked as fraud.</summary>
public enum OrderDecision
{
    Cancel,
    Fraud,
}

/// <summary>
/// An order of a client account, always associated with one user: the user who placed it, or the account's owner when
/// an admin created it. That user stays the order's user after the account changes hands, and is the one whose identity
/// must be verified when the provider requires it.
/// </summary>
public sealed class Order
{
    public const int MaxQuantity = 50;

    public int Id { get; private set; }
    public int ClientId { get; private set; }
    public int UserId { get; private set; }
    public User User { get; private set; } = null!;
    public int? CreatedByAdminId { get; private set; }
    public DateTimeOffset PlacedAt { get; private set; }
    public OrderStatus Status { get; private set; }
    public bool RequiresVerification { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public DateTimeOffset? StatusChangedAt { get; private set; }

    /// <summary>Why the order was cancelled or marked as fraud, as the admin gave it.</summary>
    public string? StatusReason { get; private set; }

    public List<OrderItem> Items { get; } = [];
    public List<Service> Services { get; } = [];
    public Invoice? Invoice { get; private set; }

    public decimal Total => Items.Sum(i => i.Amount);

    private Order()
    {
    }

    /// <summary>
    /// Places an order for <paramref name="user"/> in account <paramref name="clientId"/>: the items copy the catalogue's
    /// names and prices, the invoice (numbered <paramref name="invoiceNumber"/>) has one line per item, and every unit
    /// ordered becomes a Pending service. When verification is required and the user is not verified, the order waits.
    /// An invoice of 0.00 is paid as it is issued; <see cref="InvoicePaid"/> then accepts the order and starts its services
    /// as for any paid invoice.
    /// </summary>
    public static Order Place(
        int clientId,
        User user,
        int? createdByAdminId,
        IReadOnlyList<(Product Product, int Quantity)> lines,
        string idempotencyKey,
        int invoiceNumber,
        bool verificationRequired,
        DateTimeOffset now)
    {
        if (lines.Count == 0)
        {
            throw new InvalidOperationException("An order needs at least one product.");
        }

        if (lines.Any(l => l.Quantity is < 1 or > MaxQuantity))
        {
            throw new InvalidOperationException($"Quantities are between 1 and {MaxQuantity}.");
        }

        if (lines.Any(l => l.Product.IsHidden))
        {
            throw new InvalidOperationException("Hidden products cannot be ordered.");
        }

        var waits = verificationRequired && !user.IsIdentityVerified;
        var order = new Order
        {
            ClientId = clientId,
            User = user,
            UserId = user.Id,
            CreatedByAdminId = createdByAdminId,
            PlacedAt = now,
            IdempotencyKey = idempotencyKey,
            RequiresVerification = verificationRequired,
            Status = waits ? OrderStatus.PendingVerification : OrderStatus.Pending,
        };
        foreach (var (product, quantity) in lines)
        {
            order.Items.Add(new OrderItem(product, quantity));
            for (var unit = 0; unit < quantity; unit++)
            {
                order.Services.Add(new Service(clientId, order, product, now));
            }
        }

        order.Invoice = Invoice.ForOrder(invoiceNumber, clientId, order, now);
        return order;
    }

    public bool IsOpen => Status is OrderStatus.Pending or OrderStatus.PendingVerification;

    /// <summary>The order waits for its user's identity to be verified; its pages say so by the same rule.</summary>
    public static bool AwaitsVerification(OrderStatus status) => status == OrderStatus.PendingVerification;

    public bool WaitsForVerification => AwaitsVerification(Status);

    /// <summary>The order's user was verified: an order waiting for that goes on to Pending.</summary>
    public bool UserVerified(DateTimeOffset now)
    {
        if (Status != OrderStatus.PendingVerification)
        {
            return false;
        }

        Status = OrderStatus.Pending;
        StatusChangedAt = now;
        return true;
    }

    /// <summary>Only a pending order can be accepted; the order page offers Accept by the same rule.</summary>
    public static bool MayAccept(OrderStatus status) => status == OrderStatus.Pending;

    /// <summary>An order not yet cancelled or marked as fraud can still be either; the order page offers both by the same rule.</summary>
    public static bool MayCancel(OrderStatus status) => status is not (OrderStatus.Cancelled or OrderStatus.Fraud);

    public string? CannotAccept() => Status switch
    {
        OrderStatus.Pending => null,
        OrderStatus.PendingVerification => "The order waits until its user's identity is verified.",
        OrderStatus.Accepted => "The order is already accepted.",
        _ => $"A {StatusLabel(Status).ToLowerInvariant()} order cannot be accepted.",
    };

    public string? CannotCancel() => !MayCancel(Status)
        ? $"The order is already {StatusLabel(Status).ToLowerInvariant()}."
        : null;

    /// <summary>Accepts the order; its services start if the invoice is already paid. Returns the services that started.</summary>
    public IReadOnlyList<Service> Accept(DateTimeOffset now)
    {
        Ensure(CannotAccept());
        Status = OrderStatus.Accepted;
        StatusChangedAt = now;
        return StartServices(now);
    }

    /// <summary>
    /// Cancels the order (or marks it fraud) for <paramref name="reason"/>: its services that have not ended are
    /// cancelled, and its invoice too while nothing was paid on it (<see cref="Invoice.CancelledWithOrder"/>); money paid
    /// stays on the invoice for a refund.
    /// </summary>
    public void Cancel(DateTimeOffset now, bool fraud = false, string? reason = null)
    {
        Ensure(CannotCancel());
        Status = fraud ? OrderStatus.Fraud : OrderStatus.Cancelled;
        StatusChangedAt = now;
        StatusReason = reason;
        foreach (var service in Services.Where(s => s.Status != ServiceStatus.Cancelled))
        {
            service.Cancel(now);
        }

        Invoice?.Cancel();
    }

    /// <summary>Suspends the order's services that are running or have yet to start, as a refund may; returns them.</summary>
    public IReadOnlyList<Service> SuspendServices()
    {
        var suspended = Services.Where(s => Service.MaySuspend(s.Status)).ToList();
        suspended.ForEach(s => s.Suspend());
        return suspended;
    }

    /// <summary>
    /// The invoice was paid in full. A Pending order is accepted by the payment; the services start once the order is
    /// accepted, which an order waiting for its user's verification is not. Returns the services that started.
    /// </summary>
    public IReadOnlyList<Service> InvoicePaid(DateTimeOffset now)
    {
        if (Status == OrderStatus.Pending)
        {
            Status = OrderStatus.Accepted;
            StatusChangedAt = now;
        }

        return StartServices(now);
    }

    /// <summary>The activation rule: the invoice is paid and the order accepted (which needs the user verified when required).</summary>
    public bool ServicesMayStart => Status == OrderStatus.Accepted && Invoice?.Status == InvoiceStatus.Paid;

    private List<Service> StartServices(DateTimeOffset now)
    {
        if (!ServicesMayStart)
        {
            return [];
        }

        var started = Services.Where(s => s.Status == ServiceStatus.Pending).ToList();
        started.ForEach(s => s.Activate(now));
        return started;
    }

    public static string StatusLabel(OrderStatus status) => status switch
    {
        OrderStatus.PendingVerification => "Pending verification",
        _ => status.ToString(),
    };

    private static void Ensure(string? refusal)
    {
        if (refusal is not null)
        {
            throw new InvalidOperationException(refusal);
        }
    }
}

/// <summary>A line of an order, copied from the catalogue when the order was placed.</summary>
public sealed class OrderItem
{
    public int Id { get; private set; }
    public int OrderId { get; private set; }
    public int ProductId { get; private set; }
    public string Name { get; private set; } = "";
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
    public decimal SetupFee { get; private set; }
    public BillingCycle Cycle { get; private set; }

    private OrderItem()
    {
    }

    internal OrderItem(Product product, int quantity)
    {
        ProductId = product.Id;
        Name = product.Name;
        Quantity = quantity;
        UnitPrice = product.Price;
        SetupFee = product.SetupFee;
        Cycle = product.Cycle;
    }

    public decimal Amount => Quantity * (UnitPrice + SetupFee);
}
