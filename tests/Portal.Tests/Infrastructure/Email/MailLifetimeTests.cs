using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Tests.Infrastructure;
using Portal.Tests.Features.Identity;

namespace Portal.Tests.Infrastructure.Email;

[Collection(InfrastructureCollection.Name)]
public sealed class MailLifetimeTests(PortalFixture portal)
{
    [Fact]
    public async Task The_password_reset_mail_states_the_lifetime_identity_enforces()
    {
        var lifespan = portal.Factory.Services.GetRequiredService<IOptions<DataProtectionTokenProviderOptions>>().Value.TokenLifespan;
        Assert.Equal(portal.Factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value.PasswordLinkLifetime, lifespan);
        Assert.Equal(TimeSpan.FromHours(24), lifespan);

        var user = await portal.CreateUserAsync();
        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, "Europe/Berlin")));
        using var browser = portal.NewBrowser();
        var sent = portal.Factory.Time.GetUtcNow();
        await browser.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! });

        // The duration, and the moment it ends in the recipient's own zone.
        var message = Assert.Single(await portal.MessagesToAsync(user.Email!));
        var until = new ZonedDates(TimeZones.Find("Europe/Berlin", TimeZones.Default)).DateTime(sent + lifespan);
        Assert.EndsWith("Europe/Berlin", until);
        Assert.Contains($"The link works once, for {MailLayout.Duration(lifespan)}, until {until}.", message.TextBody);
        Assert.Contains($"24 hours, until {until}", message.HtmlBody);
    }

    [Fact]
    public async Task The_verification_mail_states_the_configured_lifetime()
    {
        var lifetime = portal.Factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value.EmailVerificationLinkLifetime;
        Assert.Equal(TimeSpan.FromMinutes(60), lifetime);
        var email = PortalFixture.UniqueEmail("verify-lifetime");
        using var browser = portal.NewBrowser();
        await browser.SubmitAsync("/register", RegisterTests.Form(email));

        var message = Assert.Single(await portal.MessagesToAsync(email), m => m.Subject == "Please verify your email address");
        Assert.Matches($@"The link is valid for {MailLayout.Duration(lifetime)}, until \d{{1,2}} \w+ \d{{4}} \d{{2}}:\d{{2}} \S+\.", message.TextBody);
    }
}
