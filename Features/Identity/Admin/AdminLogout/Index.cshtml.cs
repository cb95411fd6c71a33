using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace Portal.Features.Identity;

[AllowAnonymous]
public sealed class AdminLogoutPage(ISender sender) : SignOutPage(sender, admin: true, "/Identity/Admin/AdminLogin/Index");
