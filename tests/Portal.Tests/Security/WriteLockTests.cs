using System.Net;
using System.Reflection;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Pipeline;
using Portal.Tests.Features.Identity;
using Portal.Tests.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// The whole run's write locks, checked last, after every other collection has written what it writes: nothing slow
/// (a password hash, Data Protection, sending mail) ran while one was held, and every transactional command met a
/// database fault (its first attempt, in every test app) and was run again. The longest holds go to the security summary.
/// </summary>
[Collection(WriteLockCollection.Name)]
public sealed class WriteLockTests(PortalFixture portal)
{
    /// <summary>Set by scripts/test.sh: the run is the whole suite, so every transactional command has been sent by some test.</summary>
    public const string FullRunVariable = "PORTAL_TEST_FULL_RUN";

    [Fact]
    public async Task Nothing_slow_ran_under_a_write_lock_in_the_whole_run_and_the_longest_holds_are_reported()
    {
        // Writes of its own, so that the check has something to check when it runs alone: logins made, an invitation
        // accepted by a new login, a password changed.
        var (owner, _) = await portal.CreateOwnerAsync("Lock Check Co");
        using (var visitor = portal.NewBrowser())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await visitor.SubmitAsync("/register", RegisterTests.Form(PortalFixture.UniqueEmail("lockcheck")))).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await visitor.SubmitAsync("/user/password", new()
            {
                ["Input.CurrentPassword"] = PortalFixture.Password, ["Input.NewPassword"] = "amber quartz lantern orchard", ["Input.ConfirmPassword"] = "amber quartz lantern orchard",
            })).StatusCode);
        }

        using (var inviter = await portal.LoginAsync(owner.Email!))
        {
            var invited = PortalFixture.UniqueEmail("lockcheck-invitee");
            await inviter.InviteAsync(invited);
            using var joiner = portal.NewBrowser();
            var page = await joiner.GetAsync(await portal.InvitationLinkAsync(invited));
            Assert.Equal(HttpStatusCode.Redirect, (await joiner.SubmitAsync(page, new()
            {
                ["Input.FirstName"] = "Lock", ["Input.LastName"] = "Checker", ["Input.Email"] = invited, ["Input.Password"] = PortalFixture.Password,
            }, "form[data-form=register]")).StatusCode);
        }

        var longest = WriteLocks.LongestOf(TestDatabase.Provider);
        Assert.NotNull(longest);
        Assert.True(WriteLocks.SlowCallsUnderLock.Count == 0,
            $"{WriteLocks.SlowCallsUnderLock.Count} slow calls ran while a write lock was held:\n" + string.Join("\n", WriteLocks.SlowCallsUnderLock.Distinct().Take(20)));

        // The longest holds are printed, not asserted: a duration measured on a shared machine is no test (the same run
        // measured 39.6 ms quiet and 83.8 ms beside other test runs). The benchmark is where the time is judged.
        SecurityReport.Note($"longest write-lock holds ({TestDatabase.Provider})", string.Join("; ", WriteLocks.LongestOnes.Take(3)));
    }

    [Fact]
    public async Task Every_transactional_command_met_a_database_fault_and_was_run_again()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Fault Check Co");
        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.InviteAsync(PortalFixture.UniqueEmail("faultcheck"))).StatusCode);
        }

        Assert.True(DatabaseFaults.Faulted.ContainsKey(WriteUnitNames.Of(typeof(Portal.Features.Membership.InviteUser.Command))));
        var commands = TransactionalCommands();
        SecurityReport.Note("transactional commands in the code", commands.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Environment.GetEnvironmentVariable(FullRunVariable) != "1")
        {
            // A filtered run sends only some commands; the whole suite (scripts/test.sh) sends them all.
            return;
        }

        var missed = commands.Where(c => !DatabaseFaults.Faulted.ContainsKey(c)).ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} transactional commands never met a database fault in the run (no test sends them): {string.Join(", ", missed)}");
    }

    /// <summary>
    /// Every command that writes in a write unit: those that declare <see cref="ITransactional"/>, and those whose handler
    /// runs its own unit (it takes <see cref="WriteUnit"/>), by the name their unit carries.
    /// </summary>
    public static IReadOnlyList<string> TransactionalCommands()
    {
        var types = typeof(Program).Assembly.GetTypes();
        var declared = types.Where(t => !t.IsAbstract && typeof(ITransactional).IsAssignableFrom(t));
        var byHandler = types
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(WriteUnit))))
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(ICommandHandler<,>) || i.GetGenericTypeDefinition() == typeof(ICommandHandler<>)))
            .Select(i => i.GetGenericArguments()[0]);
        return declared.Concat(byHandler).Select(WriteUnitNames.Of).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
    }
}
