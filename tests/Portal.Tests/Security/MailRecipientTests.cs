using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Billing;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Infrastructure.Email.Templates;
using Portal.Tests.Features.Billing;
using Portal.Tests.Features.Membership;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Every kind of mail the app sends, found from its templates: a mail about an account's object (a ticket, an order, an
/// invoice, an invitation) goes only to people who hold the permission for it when it is sent. For each such kind, a
/// user who was involved (opened the ticket, placed the order, sent the invitation) and then was removed from the
/// account, or kept in it without the permission, is not mailed, while someone who holds it is. A kind this test does
/// not know fails it: a new mail kind says here who may receive it.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class MailRecipientTests(PortalFixture portal)
{
    public enum Loss
    {
        Removed,
        PermissionTaken,
    }

    /// <summary>Mail kinds that are never about an account's object, and why each goes where it goes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Personal = new Dictionary<string, string>
    {
        [nameof(PasswordResetMail)] = "the recipient's own login",
        [nameof(SetPasswordMail)] = "the recipient's own login",
        [nameof(VerifyEmailMail)] = "the recipient's own address",
        [nameof(PasswordChangedMail)] = "the recipient's own login",
        [nameof(LockoutMail)] = "the recipient's own login",
        [nameof(AdminLockoutMail)] = "an admin's own login",
        [nameof(CodeLockoutMail)] = "the recipient's own login, locked by wrong codes after its right password",
        [nameof(EmailChangeRequestedMail)] = "the recipient's own login",
        [nameof(OwnPasswordChangedMail)] = "the recipient's own login",
        [nameof(NewBrowserSignInMail)] = "the recipient's own login, about a sign-in to it",
        [nameof(TwoFactorChangedMail)] = "the recipient's own login (a user's or an admin's), about its second factor",
        [nameof(Portal.Features.Support.ContactConfirmationMail)] = "the address just typed as a contact, to prove it is theirs before it counts; nobody is a user by it",
        [nameof(AddressInUseMail)] = "the recipient's own login, about an attempt to use its address",
        [nameof(Portal.Features.Clients.WelcomeMail)] = "a new account's owner, who holds every permission",
        [nameof(InvitationMail)] = "the invited address, which is nobody's in the account yet",
        [nameof(OwnershipOfferedMail)] = "the one user an owner chose to hand the account to, who is a member of it when it is offered; the link works for that login only and only while they are still a member",
        [nameof(OwnershipTransferNoticeMail)] = "the owner and the user of an ownership transfer, about that transfer; the owner holds every permission, and the user was chosen by them",
        [nameof(Portal.Features.Clients.ClosureNoticeMail)] = "the account's owner, who holds every permission, about their own request to close it",
        [nameof(MemberLeftMail)] = "the account's owner, who holds every permission, about a user who gave up their own access",
        [nameof(Portal.Features.Support.GuestTicketMail)] = "a guest, about their own guest ticket",
        [nameof(Portal.Features.Support.TicketOpenedMail)] = "whoever just opened the ticket, as they opened it",
        [nameof(Portal.Features.Support.ContactConfirmationMail)] = "the address a contact is being added with, which routes nothing until it is confirmed",
        [nameof(IdentityVerificationRequestedMail)] = "the user whose own order waits for their identity, about their own identity; it names the order but links only to their verification page",
        [nameof(IdentityDocumentReceivedMail)] = "the recipient's own login, about the identity document uploaded with it",
        [nameof(IdentityVerifiedMail)] = "the recipient's own login, about the identity document they sent",
        [nameof(IdentityDocumentRejectedMail)] = "the recipient's own login, about the identity document they sent",
    };

    /// <summary>The kinds about an account's object, each with a way to send it after its user lost access.</summary>
    private IReadOnlyDictionary<string, Func<Loss, Task<Outcome>>> Scenarios => new Dictionary<string, Func<Loss, Task<Outcome>>>
    {
        [nameof(Portal.Features.Support.TicketAnsweredMail)] = TicketAnsweredAsync,
        [nameof(PaymentReceiptMail)] = PaymentReceiptAsync,
        [nameof(OrderPlacedMail)] = OrderPlacedAsync,
        [nameof(InvoiceCreatedMail)] = InvoiceCreatedAsync,
        [nameof(PaymentReminderMail)] = loss => InvoiceDueAsync(loss, TimeSpan.FromDays(1)),
        [nameof(OverdueNoticeMail)] = loss => InvoiceDueAsync(loss, -TimeSpan.FromDays(30)),
        [nameof(InvitationDeclinedMail)] = InvitationDeclinedAsync,
        [nameof(InvitationAcceptedMail)] = InvitationAcceptedAsync,
    };

    /// <summary>Who lost access and must not be mailed; who holds the permission and is (so the check cannot pass by sending nothing).</summary>
    private sealed record Outcome(User Lost, string Entitled, long After);

    [Fact]
    public async Task Every_mail_kind_about_an_accounts_object_goes_only_to_people_who_hold_its_permission_now()
    {
        var kinds = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IMailTemplate).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => t.Name).Order().ToList();
        var unknown = kinds.Where(k => !Personal.ContainsKey(k) && !Scenarios.ContainsKey(k)).ToList();
        Assert.True(unknown.Count == 0,
            $"Teach {nameof(MailRecipientTests)} who may receive {string.Join(", ", unknown)}: a reason in {nameof(Personal)}, or a scenario that sends it after its user lost access.");
        Assert.Empty(Scenarios.Keys.Except(kinds));

        var failures = new List<string>();
        foreach (var (kind, scenario) in Scenarios)
        {
            foreach (var loss in Enum.GetValues<Loss>())
            {
                SecurityReport.Add(SecurityReport.MailKindsAfterLoss);
                var outcome = await scenario(loss);
                var stored = kind[..^"Mail".Length];
                var sent = await portal.WithDbAsync(db => db.EmailMessages.AsNoTracking()
                    .Where(m => m.Id > outcome.After && m.Kind == stored)
                    .Select(m => new { m.To, m.UserId }).ToListAsync());
                var toLost = sent.Count(m => m.UserId == outcome.Lost.Id || string.Equals(m.To, outcome.Lost.Email, StringComparison.OrdinalIgnoreCase));
                if (toLost > 0)
                {
                    SecurityReport.Add(SecurityReport.MailsToTheUnentitled, toLost);
                    failures.Add($"{kind} after {loss}: mailed to {outcome.Lost.Email}");
                }

                if (!sent.Any(m => string.Equals(m.To, outcome.Entitled, StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{kind} after {loss}: not mailed to {outcome.Entitled}, who holds the permission");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Takes the user's access away: their association goes, or stays with every permission but <paramref name="permission"/>.</summary>
    private Task LoseAsync(int clientId, int userId, Permission permission, Loss loss) => portal.WithDbAsync(async db =>
    {
        var association = await db.ClientUsers.Include(cu => cu.Client).SingleAsync(cu => cu.ClientId == clientId && cu.UserId == userId);
        if (loss == Loss.Removed)
        {
            db.ClientUsers.Remove(association);
        }
        else
        {
            association.ChangePermissions(PermissionSet.Of(Enum.GetValues<Permission>().Where(p => p != permission)));
        }

        await db.SaveChangesAsync();
    });

    private Task<long> LastMessageIdAsync() => portal.WithDbAsync(db => db.EmailMessages.MaxAsync(m => (long?)m.Id)).ContinueWith(t => t.Result ?? 0);

    /// <summary>A member opened a ticket and replied on it, the owner replied too; the member loses tickets; staff answer.</summary>
    private async Task<Outcome> TicketAnsweredAsync(Loss loss)
    {
        var (owner, a) = await portal.CreateOwnerAsync("Answered Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("answered-member"));
        await portal.AssociateAsync(a.Id, member.Id, Permission.Tickets);
        var ticket = await portal.TicketAsync(a.Id, member.AsSender());
        await portal.ReplyAsync(ticket.Id, member.AsSender(), "Still jammed.");
        await portal.ReplyAsync(ticket.Id, owner.AsSender(), "Same here.");
        await LoseAsync(a.Id, member.Id, Permission.Tickets, loss);
        var after = await LastMessageIdAsync();

        using var admin = await portal.CreateAdminBrowserAsync();
        var answered = await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["Input.Message"] = "Try a new cartridge." }, "form[data-answer]");
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        return new Outcome(member, owner.Email!, after);
    }

    /// <summary>A member placed an order; they lose invoices; staff record the payment that clears its invoice.</summary>
    private async Task<Outcome> PaymentReceiptAsync(Loss loss)
    {
        var (owner, a) = await portal.CreateOwnerAsync("Receipt Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("receipt-member"));
        await portal.AssociateAsync(a.Id, member.Id, Permission.Orders, Permission.Invoices);
        var orderId = await PlaceAsync(a.Id, member.Id);
        await LoseAsync(a.Id, member.Id, Permission.Invoices, loss);
        var after = await LastMessageIdAsync();

        var invoiceId = await portal.WithDbAsync(db => db.Invoices.Where(i => i.OrderId == orderId).Select(i => i.Id).SingleAsync());
        using var admin = await portal.CreateAdminBrowserAsync();
        var paid = await admin.SubmitAsync($"/admin/invoices/{invoiceId}", new() { ["Input.Amount"] = "12.00", ["Input.Method"] = "Bank transfer" }, "form[data-record-payment]");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        return new Outcome(member, owner.Email!, after);
    }

    /// <summary>An order reaches the handler for a member who has just lost the orders permission (and one for the owner).</summary>
    private async Task<Outcome> OrderPlacedAsync(Loss loss)
    {
        var (owner, a) = await portal.CreateOwnerAsync("Ordered Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("ordered-member"));
        await portal.AssociateAsync(a.Id, member.Id, Permission.Orders, Permission.Invoices);
        await LoseAsync(a.Id, member.Id, Permission.Orders, loss);
        var after = await LastMessageIdAsync();

        await PlaceAsync(a.Id, member.Id);
        await PlaceAsync(a.Id, owner.Id);
        return new Outcome(member, owner.Email!, after);
    }

    /// <summary>A member who lost invoices (keeping orders, or removed) has an order placed for them: the invoice goes to the owner, not to them.</summary>
    private async Task<Outcome> InvoiceCreatedAsync(Loss loss)
    {
        var (owner, a) = await portal.CreateOwnerAsync("Invoiced Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("invoiced-member"));
        await portal.AssociateAsync(a.Id, member.Id, Permission.Orders, Permission.Invoices);
        await LoseAsync(a.Id, member.Id, Permission.Invoices, loss);
        var after = await LastMessageIdAsync();

        await PlaceAsync(a.Id, member.Id);
        return new Outcome(member, owner.Email!, after);
    }

    /// <summary>A member placed an order and lost invoices; the invoice falls due <paramref name="dueIn"/> from now and the daily job runs.</summary>
    private async Task<Outcome> InvoiceDueAsync(Loss loss, TimeSpan dueIn)
    {
        var (owner, a) = await portal.CreateOwnerAsync("Reminded Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("reminded-member"));
        await portal.AssociateAsync(a.Id, member.Id, Permission.Orders, Permission.Invoices);
        var orderId = await PlaceAsync(a.Id, member.Id);
        await LoseAsync(a.Id, member.Id, Permission.Invoices, loss);
        var dueAt = portal.Factory.Time.GetUtcNow() + dueIn;
        await portal.WithDbAsync(db => db.Invoices.Where(i => i.OrderId == orderId).ExecuteUpdateAsync(s => s.SetProperty(i => i.DueAt, dueAt)));
        var after = await LastMessageIdAsync();

        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SendPaymentReminders.Job>().RunAsync(CancellationToken.None);
        }

        return new Outcome(member, owner.Email!, after);
    }

    /// <summary>The owner invited someone, then handed the account to a member (and was removed, or stayed); the invitee declines.</summary>
    private Task<Outcome> InvitationDeclinedAsync(Loss loss) =>
        InvitationAnsweredAsync(loss, "Declined Co", (token, invited) => portal.SendAsync(new AcceptInvitation.Decline(token, invited.Id)));

    /// <summary>The same, and the invitee accepts: the owner of today hears of it, not the one who invited.</summary>
    private Task<Outcome> InvitationAcceptedAsync(Loss loss) =>
        InvitationAnsweredAsync(loss, "Accepted Co", (token, invited) => portal.SendAsync(new AcceptInvitation.Command(token, invited.Id)));

    private async Task<Outcome> InvitationAnsweredAsync(Loss loss, string company, Func<string, User, Task> answer)
    {
        var (inviter, a) = await portal.CreateOwnerAsync(company);
        var successor = await portal.CreateUserAsync(PortalFixture.UniqueEmail("successor"));
        await portal.AssociateAsync(a.Id, successor.Id, Permission.Tickets);
        var invited = await portal.CreateUserAsync(PortalFixture.UniqueEmail("decliner"));
        using (var browser = await portal.LoginAsync(inviter.Email!))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.InviteAsync(invited.Email!)).StatusCode);
        }

        var link = await portal.InvitationLinkAsync(invited.Email!);
        await portal.WithDbAsync(async db =>
        {
            var client = await db.Clients.Include(c => c.Users).SingleAsync(c => c.Id == a.Id);
            var previous = client.TransferOwnership(client.Users.Single(cu => cu.UserId == successor.Id));
            if (loss == Loss.Removed)
            {
                db.ClientUsers.Remove(previous);
            }

            await db.SaveChangesAsync();
        });
        var after = await LastMessageIdAsync();

        await answer(link.Split('/')[^1], invited);
        return new Outcome(inviter, successor.Email!, after);
    }

    private async Task<int> PlaceAsync(int clientId, int userId)
    {
        var product = Product.Create(new ProductDetails("Recipient Plan", "", 12m, 0m, BillingCycle.Monthly, false), portal.Factory.Time.GetUtcNow());
        await portal.WithDbAsync(async db =>
        {
            db.Products.Add(product);
            await db.SaveChangesAsync();
        });
        return await portal.PlaceOrderAsync(clientId, userId, (product, 1));
    }
}
