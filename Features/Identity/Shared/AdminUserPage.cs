using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Identity;

/// <summary>An admin page about one user login (<c>/admin/users/{id}/…</c>), or 404.</summary>
public abstract class AdminUserPage(ISender sender) : RecordPage<UserDetails.Result>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    public UserDetails.Result Details => Record;

    protected override IQuery<UserDetails.Result?> Find() => new UserDetails.Query(Id);
}
