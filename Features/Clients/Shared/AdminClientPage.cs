using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Clients;

/// <summary>An admin page about one client account (<c>/admin/clients/{id}/…</c>): its summary is loaded, or 404.</summary>
public abstract class AdminClientPage(ISender sender) : RecordPage<ClientSummary.Result>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    public ClientSummary.Result Client => Record;

    protected override IQuery<ClientSummary.Result?> Find() => new ClientSummary.Query(Id);
}
