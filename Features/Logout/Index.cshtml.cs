using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace Portal.Features.Logout;

[AllowAnonymous]
public sealed class IndexModel(ISender sender) : LogoutPage(sender, admin: false, "/Login/Index");
