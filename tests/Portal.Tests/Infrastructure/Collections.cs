namespace Portal.Tests.Infrastructure;

// The test collections. xunit runs collections side by side, each with its own PortalFixture: its own app, clock and
// database (a SQLite file, or a PostgreSQL database, of its own). Tests of one collection run one after the other in
// their app, so a test that moves the clock or changes a setting only affects its own collection, as before.
// One collection per capability folder of tests/Portal.Tests/Features, one for the infrastructure tests and one for the
// security suite; the tests that need the machine to themselves run alone, after the others.

[CollectionDefinition(Name)]
public sealed class ActivityCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Activity";
}

[CollectionDefinition(Name)]
public sealed class BenchmarkCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Benchmark";
}

[CollectionDefinition(Name)]
public sealed class BillingCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Billing";
}

[CollectionDefinition(Name)]
public sealed class ClientsCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Clients";
}

[CollectionDefinition(Name)]
public sealed class HomeCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Home";
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Identity";
}

[CollectionDefinition(Name)]
public sealed class MembershipCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Membership";
}

[CollectionDefinition(Name)]
public sealed class RetentionCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Retention";
}

[CollectionDefinition(Name)]
public sealed class SettingsCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Settings";
}

[CollectionDefinition(Name)]
public sealed class SetupCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Setup";
}

[CollectionDefinition(Name)]
public sealed class SharedCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Shared";
}

[CollectionDefinition(Name)]
public sealed class SupportCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Support";
}

/// <summary>Sessions, dates and mail delivery (tests/Portal.Tests/Infrastructure).</summary>
[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Infrastructure";
}

/// <summary>The hostile corpus sent to every field of every form: the longest single test of the suite, on an app of its own.</summary>
[CollectionDefinition(Name)]
public sealed class HostileInputCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Hostile input";
}

/// <summary>The rest of the security suite (the route matrix, sessions, lockout, headers, faults...).</summary>
[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Security";
}

/// <summary>
/// Fifty writers at once against one database, on an app that hashes passwords as production does: run alone, after the
/// parallel collections, so that the race is between the writers and not with other tests for the machine's two cores.
/// scripts/stress-tests.sh runs this collection again beside a CPU burner.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConcurrencyCollection : ICollectionFixture<ProductionHashingPortalFixture>
{
    public const string Name = "Concurrency";
}

/// <summary>
/// The checks of the whole run's write locks (the longest hold, slow calls under a lock, the transactional commands
/// that met a fault): the last collection, after every other has written what it writes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WriteLockCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Write locks";
}

/// <summary>Two real Portal processes with job servers against one PostgreSQL database: run alone, after the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FarmCollection
{
    public const string Name = "Farm";
}
