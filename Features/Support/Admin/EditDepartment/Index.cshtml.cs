using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Support;

public sealed class EditDepartmentPage(ISender sender) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public ManageDepartments.Save Input { get; set; } = new();

    public string Name { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken) => Input = (await sender.Send(new ManageDepartments.Find(Id), cancellationToken))!;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.Id = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"The department {Input.Name!.Trim()} was saved.");
        return RedirectToPage("/Support/Admin/ManageDepartments/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Name = (await sender.Send(new ManageDepartments.Find(Id), cancellationToken))?.Name ?? "";
        return Name.Length > 0;
    }
}
