namespace Portal.Features.Shared;

/// <summary>
/// The key two e-mail addresses are compared by (admins, contacts, ticket senders, invitations): trimmed and
/// upper-cased, as Identity normalises a user's address.
/// </summary>
public static class EmailAddress
{
    public static string Normalize(string? email) => (email ?? "").Trim().ToUpperInvariant();
}
