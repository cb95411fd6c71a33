using Mediator;
using Microsoft.AspNetCore.Authorization;
using Portal.Features.Logout;

namespace Portal.Features.Admin.Logout;

[AllowAnonymous]
public sealed class IndexModel(ISender sender) : LogoutPage(sender, admin: true, "/Admin/Login/Index");
