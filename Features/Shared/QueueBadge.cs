namespace Portal.Features.Shared;

/// <summary>A menu item's count of work waiting (<c>_QueueBadge.cshtml</c>), and what the count is of, for screen readers.</summary>
public sealed record QueueBadge(int Count, string What);
