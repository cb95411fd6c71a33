using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Support;

public sealed class WorkTicketPage(ISender sender) : RecordPage<WorkTicket.Thread>(sender)
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public WorkTicket.Answer Input { get; set; } = new();

    [BindProperty]
    public WorkTicket.Note NoteInput { get; set; } = new();

    [BindProperty]
    public WorkTicket.Update UpdateInput { get; set; } = new();

    [BindProperty]
    public WorkTicket.Assign AssignInput { get; set; } = new();

    [BindProperty]
    public WorkTicket.Held HeldInput { get; set; } = new();

    public WorkTicket.Thread Ticket => Record;

    protected override IQuery<WorkTicket.Thread?> Find() => new WorkTicket.Query(Id);

    public void OnGet()
    {
        UpdateInput = new WorkTicket.Update { Status = Ticket.Status, Priority = Ticket.Priority, DepartmentId = Ticket.DepartmentId };
        AssignInput = new WorkTicket.Assign { ClientId = Ticket.ClientId };
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => SendAsync(Input, "Your answer was added and mailed.", cancellationToken);

    public Task<IActionResult> OnPostNoteAsync(CancellationToken cancellationToken) => SendAsync(NoteInput, "The internal note was added.", cancellationToken);

    public Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken) => SendAsync(UpdateInput, "The ticket was updated.", cancellationToken);

    public Task<IActionResult> OnPostAssignAsync(CancellationToken cancellationToken) => SendAsync(AssignInput, "The ticket's client account was changed.", cancellationToken);

    public Task<IActionResult> OnPostHeldAsync(CancellationToken cancellationToken) =>
        SendAsync(HeldInput, HeldInput.Accept ? "The held reply was accepted: the client sees it now." : "The held reply is kept as a staff note; the client will not see it.", cancellationToken);

    private async Task<IActionResult> SendAsync<TCommand>(TCommand command, string done, CancellationToken cancellationToken)
        where TCommand : WorkTicket.TicketCommand, ICommand
    {
        command.TicketId = Id;
        await Sender.Send(command, cancellationToken);
        TempData.Success(done);
        return RedirectToPage(new { id = Id });
    }
}
