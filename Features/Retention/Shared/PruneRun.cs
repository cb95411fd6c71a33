namespace Portal.Features.Retention;

public enum PruneRunState
{
    Running,
    Finished,
    Stopped,
}

/// <summary>
/// The summary of one data-retention run: what it applied, and what it deleted and skipped. The counters grow in the
/// transaction of each deletion, so a run that was stopped half-way still says exactly what it did.
/// </summary>
public sealed class PruneRun
{
    public int Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public PruneRunState State { get; private set; }
    public int Months { get; private set; }
    public bool DeleteUsers { get; private set; }
    public int ClientsDeleted { get; private set; }
    public int UsersDeleted { get; private set; }
    public int ClientsSkipped { get; private set; }
    public List<PruneRunSkip> Skips { get; } = [];

    private PruneRun()
    {
    }

    public static PruneRun Start(int months, bool deleteUsers, DateTimeOffset now) =>
        new() { Months = months, DeleteUsers = deleteUsers, StartedAt = now, State = PruneRunState.Running };

    public void End(bool stopped, DateTimeOffset now)
    {
        if (State != PruneRunState.Running)
        {
            return;
        }

        State = stopped ? PruneRunState.Stopped : PruneRunState.Finished;
        FinishedAt = now;
    }
}

/// <summary>A client a run found qualifying but did not delete, and why.</summary>
public sealed class PruneRunSkip
{
    public int Id { get; private set; }
    public int PruneRunId { get; private set; }
    public int ClientId { get; private set; }
    public string ClientName { get; private set; } = "";
    public string Reason { get; private set; } = "";

    private PruneRunSkip()
    {
    }

    public PruneRunSkip(int pruneRunId, int clientId, string clientName, string reason)
    {
        PruneRunId = pruneRunId;
        ClientId = clientId;
        ClientName = clientName;
        Reason = reason;
    }
}
