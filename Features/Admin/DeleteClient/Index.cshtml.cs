using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.DeleteClient;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public DeleteClient.Command Input { get; set; } = new();

    public DeleteClient.Preview Preview { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.ClientId = Id;
        var result = await sender.Send(Input, cancellationToken);
        TempData.Success($"Client {result.DisplayName} has been deleted" + (Input.DeleteUsers ? $", with {result.DeletedUsers} user(s) who had no other account." : "."));
        return RedirectToPage("/Admin/Clients/Index");
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new DeleteClient.Query(Id), cancellationToken) is not { } preview)
        {
            return false;
        }

        Preview = preview;
        return true;
    }
}
