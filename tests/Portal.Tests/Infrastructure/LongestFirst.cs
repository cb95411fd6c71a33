using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Portal.Tests.Infrastructure.LongestFirst", "Portal.Tests")]

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Starts the collections that take longest first, so that a run does not end waiting on a long collection that happened
/// to start last. The order changes only the wall time: each collection runs on an app of its own.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    /// <summary>Longest first, as measured on the 2-core machine; the collections not listed start after these.</summary>
    private static readonly string[] Longest =
    [
        HostileInputCollection.Name, SecurityCollection.Name, IdentityCollection.Name, HomeCollection.Name, MembershipCollection.Name,
        InfrastructureCollection.Name, SharedCollection.Name, SupportCollection.Name, ActivityCollection.Name,
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => Array.IndexOf(Longest, c.DisplayName) is var rank and >= 0 ? rank : Longest.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
