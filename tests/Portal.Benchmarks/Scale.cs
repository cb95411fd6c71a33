namespace Portal.Benchmarks;

/// <summary>
/// The size of the data set. The defaults are a provider's scale; <see cref="Short"/> is a small one for a quick run.
/// The special rows (the user with many accounts, the account with many users) keep their size at every scale.
/// </summary>
public sealed record Scale(
    string Name,
    int Users,
    int Clients,
    int Associations,
    int Activity,
    int SmallActivity,
    int Orders,
    int Tickets,
    int MultiUserAccounts = 500,
    int BigAccountUsers = 50,
    int BusyAccountOrders = 40,
    int BusyAccountTickets = 40,
    int InviteRounds = 40)
{
    public const string Password = "benchmark violet harbour engine";
    public const string AdminEmail = "admin@bench.example";

    public static readonly Scale Full = new("full", 100_000, 50_000, 150_000, 1_000_000, 10_000, 50_000, 25_000);

    public static readonly Scale Short = new("short", 2_000, 1_000, 3_000, 40_000, 10_000, 1_000, 500, InviteRounds: 8);

    /// <summary>Every count of <see cref="Full"/> times <paramref name="factor"/>, the special rows unchanged.</summary>
    public static Scale Of(double factor)
    {
        if (factor == 1)
        {
            return Full;
        }

        int N(int full) => Math.Max(1, (int)(full * factor));
        return new($"x{factor.ToString(System.Globalization.CultureInfo.InvariantCulture)}", N(Full.Users), N(Full.Clients),
            N(Full.Associations), N(Full.Activity), Math.Min(Full.SmallActivity, N(Full.Activity) / 4), N(Full.Orders), N(Full.Tickets));
    }

    /// <summary>The account with 50 users, the most activity and a full page of invoices and tickets; its owner is user 1.</summary>
    public const int BusyClientId = 1;

    public const int BusyOwnerId = 1;

    /// <summary>A user who owns one account and has no other: signs in with the login POST scenario.</summary>
    public const int LoginUserId = 3;

    /// <summary>The user with <see cref="MultiUserAccounts"/> accounts: the last user.</summary>
    public int MultiUserId => Users;

    /// <summary>The account whose owner invites in the invite + accept scenario: the last account, owned by its namesake user.</summary>
    public int InviterClientId => Clients;

    /// <summary>Users who accept the invitations, one a round, none of them a member of the inviting account.</summary>
    public IEnumerable<int> AcceptorIds => Enumerable.Range(0, InviteRounds).Select(i => Users - 1 - i);

    public static string EmailOf(int userId) => $"user{userId}@bench.example";

    public void Validate()
    {
        if (Clients < MultiUserAccounts + 3 || Users < Clients + BigAccountUsers + InviteRounds + 2)
        {
            throw new ArgumentException($"Scale {Name} is too small for its special rows.");
        }
    }
}
