using Portal.Infrastructure.Data.Support;

namespace Portal.Features.Support;

/// <summary>How statuses and priorities read on every ticket page, and how a filter value from a URL is understood.</summary>
public static class TicketLabels
{
    public static string Label(this TicketStatus status) => status switch
    {
        TicketStatus.CustomerReply => "Customer-Reply",
        TicketStatus.OnHold => "On Hold",
        _ => status.ToString(),
    };

    public static string CssClass(this TicketStatus status) => status switch
    {
        TicketStatus.Open => "text-bg-success",
        TicketStatus.Answered => "text-bg-primary",
        TicketStatus.CustomerReply => "text-bg-warning",
        TicketStatus.OnHold => "text-bg-info",
        _ => "text-bg-secondary",
    };

    /// <summary>A status named in a query string; anything else (including numbers) means no filter.</summary>
    /// <summary>The status filter's choice for tickets waiting for staff: new ones and those the customer answered.</summary>
    public const string AwaitingReply = "awaiting";

    /// <summary>A ticket that waits for staff to answer: new, or answered by the customer (the queue's filter and the admin's count).</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Ticket, bool>> AwaitsReply =
        t => t.Status == TicketStatus.Open || t.Status == TicketStatus.CustomerReply;

    public static bool IsAwaitingReply(string? value) => string.Equals(value, AwaitingReply, StringComparison.OrdinalIgnoreCase);

    public static TicketStatus? ParseStatus(string? value) =>
        value is not null && !value.Any(char.IsDigit) && Enum.TryParse<TicketStatus>(value, ignoreCase: true, out var status) ? status : null;

    public static IReadOnlyList<TicketStatus> Statuses { get; } = Enum.GetValues<TicketStatus>();

    public static IReadOnlyList<TicketPriority> Priorities { get; } = Enum.GetValues<TicketPriority>();
}
