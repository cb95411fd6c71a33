using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Setup;

[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class IndexModel(ISender sender, PortalDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public CreateAdmin.Command Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await AdminSetupLink.IsValidAsync(db, Token, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await AdminSetupLink.IsValidAsync(db, Token, cancellationToken))
        {
            return NotFound();
        }

        await sender.Send(Input, cancellationToken);
        await db.Settings.Where(s => s.Key == AdminSetupLink.TokenHashKey).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        TempData.Success("Your admin login is ready. Please log in.");
        return RedirectToPage("/Admin/Login/Index");
    }
}
