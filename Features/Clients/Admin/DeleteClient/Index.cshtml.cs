using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Clients;

public sealed class DeleteClientPage(ISender sender) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public DeleteClient.Command Input { get; set; } = new();

    public DeleteClient.Preview Preview { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        var result = await sender.Send(Input, cancellationToken);
        TempData.Success($"Client {result.DisplayName} has been deleted" + (Input.DeleteUsers ? $", with {Plural.Of(result.DeletedUsers, "user")} who had no other account." : "."));
        return RedirectToPage("/Clients/Admin/ListClients/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Preview = (await sender.Send(new DeleteClient.Query(Id), cancellationToken))!;
        return Preview is not null;
    }
}
