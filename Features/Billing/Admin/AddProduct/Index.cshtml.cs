using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

public sealed class AddProductPage(ISender sender) : PageModel
{
    [BindProperty]
    public AddProduct.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success($"Product {Input.Name!.Trim()} added.");
        return RedirectToPage("/Billing/Admin/ListProducts/Index");
    }
}
