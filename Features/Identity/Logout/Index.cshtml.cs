using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace Portal.Features.Identity;

[AllowAnonymous]
public sealed class LogoutPage(ISender sender) : SignOutPage(sender, admin: false, "/Identity/Login/Index");
