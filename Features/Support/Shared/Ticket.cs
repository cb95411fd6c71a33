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

/// <summary>How a reply reached the ticket: signed in on the web, by e-mail, or through the guest form or a guest's link.</summary>
public enum ReplyChannel
{
    Web,
    Email,
    GuestForm,
}

/// <summary>
/// Who wrote a reply: an admin, a user of the portal, or only an e-mail address (a guest or a contact).
/// <paramref name="Verified"/> is false when the address is only a claim: mail the receiving server did not
/// authenticate, or an address typed into the guest form.
/// </summary>
public sealed record Sender(string Email, string Name, int? UserId = null, int? AdminId = null, ReplyChannel Channel = ReplyChannel.Web, bool Verified = true);

/// <summary>
/// A support ticket. It belongs to a client account, or to none when a guest opened it; an admin may assign it to an
/// account later. Its public reference (<c>#A1B2C3D4E5</c>, ten characters: 50 random bits, so that nobody writes into
/// a ticket by guessing it; tickets opened before had six) travels in e-mail subjects.
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

    public const int ReferenceLength = 10;

    /// <summary>
    /// The line at the top of every ticket mail the portal sends: in a reply, it and everything below it are the
    /// portal's own message, quoted or not, whatever the writer's mail program did with it.
    /// </summary>
    public const string ReplyMarker = "##- Reply above this line -##";

    public static Ticket Open(int? clientId, Department department, string subject, TicketPriority priority, Sender requester, string message, DateTimeOffset now, string? messageId = null, string? messageKey = null)
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
        ticket.Replies.Add(new TicketReply(ticket, requester, message, false, now, messageId, messageKey));
        ticket.LastReplyAt = now;
        return ticket;
    }

    public string PublicReference => "#" + Reference;

    /// <summary>A reply on the thread. Staff replies mark the ticket Answered; anyone else's reopens it as Customer-Reply.</summary>
    public TicketReply Reply(Sender sender, string message, DateTimeOffset now, string? messageId = null, string? messageKey = null)
    {
        var reply = new TicketReply(this, sender, message, false, now, messageId, messageKey);
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

    /// <summary>
    /// A mailed reply from an address unrelated to the ticket: kept for staff, who see it and may accept it; the
    /// client does not see it, and it changes neither the status nor the last reply until accepted.
    /// </summary>
    public TicketReply Hold(Sender sender, string message, DateTimeOffset now, string? messageId = null, string? messageKey = null)
    {
        var reply = new TicketReply(this, sender, message, false, now, messageId, messageKey);
        reply.MarkHeld();
        Replies.Add(reply);
        return reply;
    }

    /// <summary>Staff accept a held reply: the client sees it, and it reopens the ticket as a client's reply does.</summary>
    public void Accept(TicketReply held)
    {
        if (!held.IsHeld)
        {
            return;
        }

        held.Release();
        Status = TicketStatus.CustomerReply;
        LastReplyAt = held.At > LastReplyAt ? held.At : LastReplyAt;
    }

    /// <summary>Staff keep a held reply for themselves: it becomes an internal note, and the client never sees it.</summary>
    public void KeepAsNote(TicketReply held)
    {
        if (held.IsHeld)
        {
            held.MakeNote();
        }
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
        new(Enumerable.Range(0, ReferenceLength).Select(_ => ReferenceAlphabet[RandomNumberGenerator.GetInt32(ReferenceAlphabet.Length)]).ToArray());

    /// <summary>The reference in an e-mail subject ("Re: [#A1B2C3] Printer"), or null when it carries none.</summary>
    public static string? ReferenceIn(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        // Ten characters since references grew; six for the tickets opened before.
        var match = System.Text.RegularExpressions.Regex.Match(subject, @"#([A-Z0-9]{10}|[A-Z0-9]{6})\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
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

    /// <summary>The Message-ID of the e-mail it came from (its first 400 characters), as shown.</summary>
    public string? MessageId { get; private set; }

    /// <summary>A hash of the whole Message-ID and the sender's address, so that the same mail imports once (unique).</summary>
    public string? MessageKey { get; private set; }

    public ReplyChannel Channel { get; private set; }

    /// <summary>False when the sender's address is only a claim (unauthenticated mail, the guest form): shown so, and never a user's identity.</summary>
    public bool SenderVerified { get; private set; } = true;

    /// <summary>A mailed reply from an address unrelated to the ticket, waiting for staff: clients do not see it.</summary>
    public bool IsHeld { get; private set; }

    public DateTimeOffset At { get; private set; }

    private TicketReply()
    {
    }

    internal TicketReply(Ticket ticket, Sender sender, string message, bool internalNote, DateTimeOffset at, string? messageId, string? messageKey = null)
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
        MessageKey = messageKey;
        Channel = sender.Channel;
        SenderVerified = sender.Verified && sender.Channel != ReplyChannel.GuestForm;
    }

    internal void MarkHeld() => IsHeld = true;

    internal void Release() => IsHeld = false;

    internal void MakeNote()
    {
        IsHeld = false;
        IsInternalNote = true;
    }

    /// <summary>What staff and clients are told beside the writer's name, or null when the writer is proven (signed in, or authenticated mail).</summary>
    public static string? ProofNote(ReplyChannel channel, bool verified) => (channel, verified) switch
    {
        (ReplyChannel.Email, false) => "by e-mail, sender not verified",
        (ReplyChannel.GuestForm, _) => "guest form, address not verified",
        _ => null,
    };
}
