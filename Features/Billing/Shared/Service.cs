namespace Portal.Features.Billing;

public enum ServiceStatus
{
    Pending,
    Active,
    Suspended,
    Cancelled,
}

public enum CancellationKind
{
    Immediate,
    EndOfPeriod,
}

/// <summary>One unit of a product a client account ordered, with its login. It starts Pending and turns Active once paid.</summary>
public sealed class Service
{
    public int Id { get; private set; }
    public int ClientId { get; private set; }
    public int OrderId { get; private set; }
    public Order Order { get; private set; } = null!;
    public int ProductId { get; private set; }
    public string Name { get; private set; } = "";
    public ServiceStatus Status { get; private set; }
    public BillingCycle Cycle { get; private set; }
    public decimal Amount { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ActivatedAt { get; private set; }
    public DateTimeOffset? NextDueAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public string? Username { get; private set; }

    /// <summary>The login's password, encrypted with Data Protection; never stored or logged in the clear.</summary>
    public string? PasswordProtected { get; private set; }

    public CancellationKind? CancellationKind { get; private set; }
    public string? CancellationReason { get; private set; }
    public DateTimeOffset? CancellationRequestedAt { get; private set; }
    public int? CancellationRequestedByUserId { get; private set; }

    private Service()
    {
    }

    internal Service(int clientId, Order order, Product product, DateTimeOffset now)
    {
        ClientId = clientId;
        Order = order;
        ProductId = product.Id;
        Name = product.Name;
        Cycle = product.Cycle;
        Amount = product.Price;
        CreatedAt = now;
        Status = ServiceStatus.Pending;
    }

    public bool HasCancellationRequest => CancellationRequestedAt is not null;

    internal void Activate(DateTimeOffset now)
    {
        Status = ServiceStatus.Active;
        ActivatedAt = now;
        NextDueAt = Cycle.NextDue(now);
    }

    /// <summary>Whether a refund may suspend the service: one that is running or has yet to start.</summary>
    public static bool MaySuspend(ServiceStatus status) => status is ServiceStatus.Active or ServiceStatus.Pending;

    /// <summary>Stops the service (its invoice was refunded): it does not start or run until an admin decides otherwise.</summary>
    internal void Suspend()
    {
        if (MaySuspend(Status))
        {
            Status = ServiceStatus.Suspended;
            NextDueAt = null;
        }
    }

    internal void Cancel(DateTimeOffset now)
    {
        Status = ServiceStatus.Cancelled;
        CancelledAt = now;
        NextDueAt = null;
    }

    /// <summary>Sets a new login; the password arrives already encrypted.</summary>
    public void SetLogin(string username, string passwordProtected)
    {
        Username = username;
        PasswordProtected = passwordProtected;
    }

    /// <summary>A service that is not cancelled and has no request yet may be asked to end; its page offers it by the same rule.</summary>
    public static bool MayRequestCancellation(ServiceStatus status, DateTimeOffset? cancellationRequestedAt) =>
        status != ServiceStatus.Cancelled && cancellationRequestedAt is null;

    public string? CannotRequestCancellation() =>
        Status == ServiceStatus.Cancelled ? "The service is already cancelled."
        : HasCancellationRequest ? "A cancellation has already been requested for this service."
        : null;

    public void RequestCancellation(CancellationKind kind, string reason, int userId, DateTimeOffset now)
    {
        if (CannotRequestCancellation() is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        CancellationKind = kind;
        CancellationReason = reason;
        CancellationRequestedAt = now;
        CancellationRequestedByUserId = userId;
    }
}
