namespace Portal.Infrastructure.Auth;

/// <summary>
/// The CPU-heavy part of passwords: a PBKDF2 hash or check (about 100 ms of one core at the production iteration count)
/// and the zxcvbn strength estimate. At most one runs per core at a time, each on a thread of its own rather than one of
/// the thread pool's: a burst of registrations or logins then leaves the pool's threads to every other request (a page, an
/// unrelated write), and the work waiting for a core waits without holding a thread. Never inside a write unit.
/// </summary>
public static class PasswordWork
{
    private static readonly SemaphoreSlim Cores = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public static async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await Cores.WaitAsync(cancellationToken);
        try
        {
            return await Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            Cores.Release();
        }
    }

    /// <summary>Work that goes on after its heavy, synchronous start (a check through Identity that may then save a rehash).</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await Cores.WaitAsync(cancellationToken);
        try
        {
            return await Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
        finally
        {
            Cores.Release();
        }
    }
}
