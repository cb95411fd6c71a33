using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;
using Portal.Features.Clients;

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

    /// <summary>The "Client" box of the assignment form: a name, company, e-mail or number; empty for no account.</summary>
    [BindProperty]
    public string? AssignClient { get; set; }

    public PickClient.Result AssignPick { get; private set; } = PickClient.Result.Empty;

    [BindProperty]
    public WorkTicket.Held HeldInput { get; set; } = new();

    public WorkTicket.Thread Ticket => Record;

    protected override IQuery<WorkTicket.Thread?> Find() => new WorkTicket.Query(Id);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        UpdateInput = new WorkTicket.Update { Status = Ticket.Status, Priority = Ticket.Priority, DepartmentId = Ticket.DepartmentId };
        AssignInput = new WorkTicket.Assign { ClientId = Ticket.ClientId };
        if (Ticket.ClientId is { } clientId)
        {
            AssignPick = await Sender.Send(new PickClient.Query($"#{clientId}"), cancellationToken);
        }
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => SendAsync(Input, "Your answer was added and mailed.", cancellationToken);

    public Task<IActionResult> OnPostNoteAsync(CancellationToken cancellationToken) => SendAsync(NoteInput, "The internal note was added.", cancellationToken);

    public Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken) => SendAsync(UpdateInput, "The ticket was updated.", cancellationToken);

    /// <summary>
    /// The box names the client when it is filled (several matches or none answer with the form again and change
    /// nothing); an empty box leaves the ticket with no account unless a client number is posted with the command.
    /// </summary>
    public async Task<IActionResult> OnPostAssignAsync(CancellationToken cancellationToken)
    {
        AssignPick = await Sender.Send(new PickClient.Query(AssignClient), cancellationToken);
        if (AssignPick.Problem is { } problem)
        {
            ModelState.AddModelError(nameof(AssignClient), problem);
            return Page();
        }

        if (AssignPick.ClientId is { } clientId)
        {
            AssignInput = new WorkTicket.Assign { ClientId = clientId };
        }

        return await SendAsync(AssignInput, "The ticket's client account was changed.", cancellationToken);
    }

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
