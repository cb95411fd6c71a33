using System.Security.Cryptography;
using Portal.Features.Shared;

namespace Portal.Features.Support;

public enum TicketStatus
{
    Open,
    Answered,
    CustomerReply,
    OnHold,
    Closed,
}

public enum TicketPriority
{
    Low,
    Medium,
    High,
}

/// <summary>Who wrote a reply: an admin, a user of the portal, or only an e-mail address (a guest or a contact).</summary>
public sealed record Sender(string Email, string Name, int? UserId = null, int? AdminId = null);

/// <summary>
/// A support ticket. It belongs to a client account, or to none when a guest opened it; an admin may assign it to an
/// account later. Its short public reference (<c>#A1B2C3</c>) travels in e-mail subjects.
/// </summary>
public sealed class Ticket
{
    private const string ReferenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public int Id { get; private set; }
    public string Reference { get; private set; } = "";
    public int? ClientId { get; private set; }
    public int DepartmentId { get; private set; }
    public Department Department { get; private set; } = null!;
    public string Subject { get; private set; } = "";
    public TicketStatus Status { get; private set; }
    public TicketPriority Priority { get; private set; }
    public string RequesterEmail { get; private set; } = "";
    public string RequesterName { get; private set; } = "";
    public int? RequesterUserId { get; private set; }

    /// <summary>The hash of a guest's private link token; null for tickets opened by users.</summary>
    public string? GuestTokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastReplyAt { get; private set; }
    public List<TicketReply> Replies { get; } = [];

    private Ticket()
    {
    }

    public static Ticket Open(int? clientId, Department department, string subject, TicketPriority priority, Sender requester, string message, DateTimeOffset now, string? messageId = null)
    {
        var ticket = new Ticket
        {
            Reference = NewReference(),
            ClientId = clientId,
            Department = department,
            DepartmentId = department.Id,
            Subject = OneLine(subject),
            Priority = priority,
            RequesterEmail = requester.Email.Trim(),
            RequesterName = requester.Name.Trim(),
            RequesterUserId = requester.UserId,
            CreatedAt = now,
            Status = TicketStatus.Open,
        };
        ticket.Replies.Add(new TicketReply(ticket, requester, message, false, now, messageId));
        ticket.LastReplyAt = now;
        return ticket;
    }

    public string PublicReference => "#" + Reference;

    /// <summary>A reply on the thread. Staff replies mark the ticket Answered; anyone else's reopens it as Customer-Reply.</summary>
    public TicketReply Reply(Sender sender, string message, DateTimeOffset now, string? messageId = null)
    {
        var reply = new TicketReply(this, sender, message, false, now, messageId);
        Replies.Add(reply);
        Status = sender.AdminId is null ? TicketStatus.CustomerReply : TicketStatus.Answered;
        LastReplyAt = now;
        return reply;
    }

    /// <summary>A note for staff only: it never changes the status and clients never see it.</summary>
    public TicketReply AddInternalNote(int adminId, string adminName, string adminEmail, string note, DateTimeOffset now)
    {
        var reply = new TicketReply(this, new Sender(adminEmail, adminName, AdminId: adminId), note, true, now, null);
        Replies.Add(reply);
        return reply;
    }

    /// <summary>A ticket not yet closed can be closed; its pages offer Close by the same rule.</summary>
    public static bool MayClose(TicketStatus status) => status != TicketStatus.Closed;

    public void Close() => Status = TicketStatus.Closed;

    public void ChangeStatus(TicketStatus status) => Status = status;

    public void ChangePriority(TicketPriority priority) => Priority = priority;

    public void MoveTo(Department department)
    {
        Department = department;
        DepartmentId = department.Id;
    }

    /// <summary>Moves the ticket to another account (or none); the badges of every reply are then read against it.</summary>
    public void AssignTo(int? clientId) => ClientId = clientId;

    public void IssueGuestToken(string tokenHash) => GuestTokenHash = tokenHash;

    public static string NewReference() =>
        new(Enumerable.Range(0, 6).Select(_ => ReferenceAlphabet[RandomNumberGenerator.GetInt32(ReferenceAlphabet.Length)]).ToArray());

    /// <summary>The reference in an e-mail subject ("Re: [#A1B2C3] Printer"), or null when it carries none.</summary>
    public static string? ReferenceIn(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var match = System.Text.RegularExpressions.Regex.Match(subject, @"#([A-Z0-9]{6})\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success ? match.Groups[1].Value.ToUpperInvariant() : null;
    }

    /// <summary>Line breaks in a subject become spaces, so a subject can never add a header to a mail.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();
}

/// <summary>One message on a ticket's thread, from the web or by e-mail.</summary>
public sealed class TicketReply
{
    public int Id { get; private set; }
    public int TicketId { get; private set; }
    public Ticket Ticket { get; private set; } = null!;
    public string SenderEmail { get; private set; } = "";

    /// <summary>Upper-case sender address: badges are read from it.</summary>
    public string NormalizedSenderEmail { get; private set; } = "";

    public string SenderName { get; private set; } = "";
    public int? UserId { get; private set; }
    public int? AdminId { get; private set; }
    public bool IsInternalNote { get; private set; }
    public string Message { get; private set; } = "";

    /// <summary>The Message-ID of the e-mail it came from, so that the same mail imports once.</summary>
    public string? MessageId { get; private set; }

    public DateTimeOffset At { get; private set; }

    private TicketReply()
    {
    }

    internal TicketReply(Ticket ticket, Sender sender, string message, bool internalNote, DateTimeOffset at, string? messageId)
    {
        Ticket = ticket;
        SenderEmail = sender.Email.Trim();
        NormalizedSenderEmail = EmailAddress.Normalize(sender.Email);
        SenderName = sender.Name.Trim();
        UserId = sender.UserId;
        AdminId = sender.AdminId;
        IsInternalNote = internalNote;
        Message = message;
        At = at;
        MessageId = messageId;
    }
}
