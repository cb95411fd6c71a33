using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Support;

public sealed class ManageDepartmentsPage(ISender sender) : PortalPage
{
    [BindProperty]
    public ManageDepartments.Save Input { get; set; } = new();

    public IReadOnlyList<ManageDepartments.Row> Departments { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.Id = null;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"The department {Input.Name!.Trim()} was added.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Departments = await sender.Send(new ManageDepartments.List(), cancellationToken);
        return true;
    }
}
