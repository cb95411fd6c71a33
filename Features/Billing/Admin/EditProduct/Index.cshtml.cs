using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

public sealed class EditProductPage(ISender sender) : PageModel
{
    [FromRoute(Name = "id")]
    public int ProductId { get; set; }

    [BindProperty]
    public EditProduct.Command Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new EditProduct.Query(ProductId), cancellationToken) is not { } product)
        {
            return NotFound();
        }

        Input = product;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ProductId = ProductId;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"Product {Input.Name!.Trim()} saved.");
        return RedirectToPage("/Billing/Admin/ListProducts/Index");
    }
}
