using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Infrastructure.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

public static partial class TransferSteps
{
    /// <summary>The owner offers the account to <paramref name="userId"/> on Transfer Ownership, confirming with their password.</summary>
    public static Task<HttpResponseMessage> OfferOwnershipAsync(this Browser owner, int userId, string password = PortalFixture.Password) =>
        owner.SubmitAsync("/account/users/transfer", new() { ["Input.UserId"] = userId.ToString(), ["Input.Password"] = password }, "form[data-start-transfer]");

    /// <summary>The path of the newest ownership link mailed to <paramref name="email"/>.</summary>
    public static async Task<string> OwnershipLinkAsync(this PortalFixture portal, string email)
    {
        var body = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == email && m.Kind == "OwnershipOffered").OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync());
        var match = OwnershipLink().Match(body);
        Assert.True(match.Success, "No ownership link in the mail.");
        return match.Value;
    }

    /// <summary>A pending offer written straight to the database, with its token, for tests about the link alone.</summary>
    public static async Task<(int TransferId, string Token)> PendingTransferAsync(this PortalFixture portal, int clientId, int toUserId)
    {
        var token = Tokens.New();
        var id = await portal.WithDbAsync(async db =>
        {
            var client = await db.Clients.Include(c => c.Users).SingleAsync(c => c.Id == clientId);
            var transfer = OwnershipTransfer.Offer(client, client.Users.Single(cu => cu.UserId == toUserId), Tokens.Hash(token), portal.Factory.Time.GetUtcNow());
            db.OwnershipTransfers.Add(transfer);
            await db.SaveChangesAsync();
            return transfer.Id;
        });
        return (id, token);
    }

    [GeneratedRegex(@"/ownership/[A-Za-z0-9_\-]+")]
    private static partial Regex OwnershipLink();
}
