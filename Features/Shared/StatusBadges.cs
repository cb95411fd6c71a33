using Portal.Infrastructure.Data;
using Portal.Features.Clients;

namespace Portal.Features.Shared;

/// <summary>One colour per client status, wherever the status is shown: green Active, amber Inactive, grey Closed.</summary>
public static class StatusBadges
{
    public static string CssClass(this ClientStatus status) => status switch
    {
        ClientStatus.Active => "text-bg-success",
        ClientStatus.Inactive => "text-bg-warning",
        _ => "text-bg-secondary",
    };
}
