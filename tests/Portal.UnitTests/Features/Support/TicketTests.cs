using Portal.Features.Support;

namespace Portal.UnitTests.Features.Support;

public sealed class TicketTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly Department Sales = Department.Create("Sales", "Sales@Example.com", hidden: false);

    private static Ticket NewTicket() =>
        Ticket.Open(5, Sales, "Printer\r\nBcc: victim@example.com", TicketPriority.Medium, new Sender("ann@example.com", "Ann", UserId: 3), "It jams.", Now);

    [Fact]
    public void A_new_ticket_is_open_with_its_first_message_and_a_ten_character_reference()
    {
        var ticket = NewTicket();

        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Matches("^#[A-Z0-9]{10}$", ticket.PublicReference);
        var first = Assert.Single(ticket.Replies);
        Assert.Equal("It jams.", first.Message);
        Assert.Equal("ANN@EXAMPLE.COM", first.NormalizedSenderEmail);
        Assert.Equal(3, first.UserId);
    }

    [Fact]
    public void A_line_break_in_a_subject_never_survives()
    {
        Assert.Equal("Printer Bcc: victim@example.com", NewTicket().Subject);
    }

    [Fact]
    public void A_staff_reply_answers_the_ticket_and_a_client_reply_reopens_it()
    {
        var ticket = NewTicket();

        ticket.Reply(new Sender("support@example.com", "Sam", AdminId: 1), "Try this.", Now.AddHours(1));
        Assert.Equal(TicketStatus.Answered, ticket.Status);

        ticket.Close();
        ticket.Reply(new Sender("ann@example.com", "Ann", UserId: 3), "Still jams.", Now.AddHours(2));
        Assert.Equal(TicketStatus.CustomerReply, ticket.Status);
        Assert.Equal(Now.AddHours(2), ticket.LastReplyAt);
    }

    [Fact]
    public void An_internal_note_changes_neither_the_status_nor_the_last_reply()
    {
        var ticket = NewTicket();

        var note = ticket.AddInternalNote(1, "Sam", "sam@example.com", "Customer is on the old plan.", Now.AddHours(1));

        Assert.True(note.IsInternalNote);
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(Now, ticket.LastReplyAt);
    }

    [Theory]
    [InlineData("Re: [#ABC234] Printer", "ABC234")]
    [InlineData("Re: [#ABC234DEF5] Printer", "ABC234DEF5")]
    [InlineData("Re: [#ABC234DEF] Printer", null)]
    [InlineData("re: #abc234 printer", "ABC234")]
    [InlineData("Printer", null)]
    [InlineData("Order #12345 shipped", null)]
    public void The_reference_is_read_from_an_e_mail_subject(string subject, string? reference) =>
        Assert.Equal(reference, Ticket.ReferenceIn(subject));

    [Fact]
    public void Departments_keep_their_address_in_lower_case() => Assert.Equal("sales@example.com", Sales.Email);
}
