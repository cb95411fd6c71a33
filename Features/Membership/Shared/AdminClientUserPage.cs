using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Membership;

/// <summary>An admin page about one user of one client account (<c>/admin/clients/{id}/users/{userId}/…</c>), or 404.</summary>
public abstract class AdminClientUserPage(ISender sender) : RecordPage<ManagePermissions.Current>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int UserId { get; set; }

    public ManagePermissions.Current Association => Record;

    protected override IQuery<ManagePermissions.Current?> Find() => new ManagePermissions.Query(Id, UserId);
}
