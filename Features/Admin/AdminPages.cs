using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Admin.ManageUser;
using Portal.Features.Admin.ViewClient;
using Portal.Infrastructure.Mediator;
using ManagePermissionsUseCase = Portal.Features.ManagePermissions.ManagePermissions;

namespace Portal.Features.Admin;

/// <summary>An admin page about one client account (<c>/admin/clients/{id}/…</c>): its summary is loaded, or 404.</summary>
public abstract class AdminClientPage(ISender sender) : RecordPage<ClientSummary.Result>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    public ClientSummary.Result Client => Record;

    protected override IQuery<ClientSummary.Result?> Find() => new ClientSummary.Query(Id);
}

/// <summary>An admin page about one user of one client account (<c>/admin/clients/{id}/users/{userId}/…</c>), or 404.</summary>
public abstract class AdminClientUserPage(ISender sender) : RecordPage<ManagePermissionsUseCase.Current>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int UserId { get; set; }

    public ManagePermissionsUseCase.Current Association => Record;

    protected override IQuery<ManagePermissionsUseCase.Current?> Find() => new ManagePermissionsUseCase.Query(Id, UserId);
}

/// <summary>An admin page about one user login (<c>/admin/users/{id}/…</c>), or 404.</summary>
public abstract class AdminUserPage(ISender sender) : RecordPage<UserDetails.Result>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    public UserDetails.Result Details => Record;

    protected override IQuery<UserDetails.Result?> Find() => new UserDetails.Query(Id);
}
