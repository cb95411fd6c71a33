using Portal.Features.Retention;

namespace Portal.UnitTests.Features.Retention;

public sealed class PruneRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_ends_once_finished_or_stopped_and_keeps_the_first_ending()
    {
        var finished = PruneRun.Start(12, deleteUsers: true, Now);
        var stopped = PruneRun.Start(12, deleteUsers: false, Now);

        finished.End(stopped: false, Now.AddMinutes(5));
        finished.End(stopped: true, Now.AddMinutes(9));
        stopped.End(stopped: true, Now.AddMinutes(1));

        Assert.Equal(PruneRunState.Finished, finished.State);
        Assert.Equal(Now.AddMinutes(5), finished.FinishedAt);
        Assert.Equal(PruneRunState.Stopped, stopped.State);
        Assert.Equal(Now.AddMinutes(1), stopped.FinishedAt);
    }

    [Fact]
    public void A_run_starts_running_with_what_it_applies_and_nothing_counted()
    {
        var run = PruneRun.Start(18, deleteUsers: true, Now);

        Assert.Equal(PruneRunState.Running, run.State);
        Assert.Equal((18, true, Now), (run.Months, run.DeleteUsers, run.StartedAt));
        Assert.Equal((0, 0, 0), (run.ClientsDeleted, run.UsersDeleted, run.ClientsSkipped));
        Assert.Null(run.FinishedAt);
    }
}
