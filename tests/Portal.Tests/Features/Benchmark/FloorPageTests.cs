using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Benchmark;

[Collection(BenchmarkCollection.Name)]
public sealed class FloorPageTests(PortalFixture portal)
{
    [Fact]
    public async Task The_benchmark_floor_page_does_not_exist_without_the_benchmark_setting()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var response = await browser.Client.GetAsync("/benchmark/floor");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
