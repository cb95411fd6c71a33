using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Features.Identity;

namespace Portal.UnitTests.Features.Membership;

/// <summary>Entities as the database would hand them to a handler, without a database.</summary>
internal static class Build
{
    public static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static int _nextId = 100;

    public static User User(string email = "someone@example.test") =>
        new() { Id = Interlocked.Increment(ref _nextId), Email = email, UserName = email, FirstName = "Sam", LastName = "Someone" };

    public static Client Client(User owner) =>
        Portal.Features.Clients.Client.Open(
            new ClientProfile(owner.FirstName, owner.LastName, "Acme Ltd", owner.Email!, "1 Road", "Town", "", "12345", "Country", "+1 555 0100"), owner, Now);

    /// <summary>An account with its owner and one member holding <paramref name="memberPermissions"/>.</summary>
    public static (Client Client, ClientUser Owner, ClientUser Member) AccountWithMember(params Permission[] memberPermissions)
    {
        var client = Client(User("owner@example.test"));
        var member = ClientUser.Associate(client, User("member@example.test"), PermissionSet.Of(memberPermissions));
        client.Users.Add(member);
        return (client, client.Users.Single(cu => cu.IsOwner), member);
    }

    /// <summary>A pending invitation sent <see cref="Now"/>, valid for seven days, with its client loaded.</summary>
    public static Invitation Invitation(Client client, string email = "invitee@example.test", params Permission[] permissions)
    {
        var invitation = Portal.Features.Membership.Invitation.Create(
            client.Id, email, PermissionSet.Of(permissions.Length == 0 ? [Permission.Tickets] : permissions), client.OwnerUserId, null, "hash-1", Now, TimeSpan.FromDays(7));
        typeof(Invitation).GetProperty(nameof(Portal.Features.Membership.Invitation.Client))!.SetValue(invitation, client);
        return invitation;
    }
}
