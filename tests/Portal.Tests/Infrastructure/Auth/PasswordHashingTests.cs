using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Infrastructure.Auth;

/// <summary>
/// The test apps hash passwords with <see cref="PortalFactory.PasswordHashIterations"/> to save time; the production
/// registration, read here without a test app, is what the real app hashes and checks passwords with.
/// </summary>
public sealed class PasswordHashingTests
{
    [Fact]
    public void The_app_hashes_passwords_with_the_production_iteration_count()
    {
        var services = new ServiceCollection().AddPortalAuth(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        Assert.Equal(AuthSetup.PasswordHashIterations, provider.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount);
    }
}
