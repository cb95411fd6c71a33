using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Infrastructure.Email;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Wraps the slow services of a test app, a password hash or check, Data Protection (cookies, tokens, service
/// passwords) and the mail transport, so that a call made while a write unit holds its lock is counted
/// (<see cref="WriteLocks.SlowCall"/>). The test apps hash with few iterations, so a hash under the lock would not show
/// in the hold times: it shows here, whatever its cost.
/// </summary>
public static class SlowWorkProbes
{
    public static void AddSlowWorkProbes(this IServiceCollection services)
    {
        services.Decorate<IPasswordHasher<Portal.Features.Identity.User>>(inner => new Hasher<Portal.Features.Identity.User>(inner));
        services.Decorate<IPasswordHasher<Portal.Features.Identity.Administrator>>(inner => new Hasher<Portal.Features.Identity.Administrator>(inner));
        services.Decorate<IDataProtectionProvider>(inner => new Protection(inner));
        services.Decorate<IMailTransport>(inner => new Transport(inner));
    }

    /// <summary>Replaces the registration of <typeparamref name="TService"/> with <paramref name="wrap"/> around it, same lifetime.</summary>
    private static void Decorate<TService>(this IServiceCollection services, Func<TService, TService> wrap)
        where TService : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(TService))
            ?? throw new InvalidOperationException($"{typeof(TService).Name} is not registered.");
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => wrap((TService)Create(sp, original)), original.Lifetime));
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private sealed class Hasher<TUser>(IPasswordHasher<TUser> inner) : IPasswordHasher<TUser>
        where TUser : class
    {
        public string HashPassword(TUser user, string password)
        {
            WriteLocks.SlowCall("a password hash");
            return inner.HashPassword(user, password);
        }

        public PasswordVerificationResult VerifyHashedPassword(TUser user, string hashedPassword, string providedPassword)
        {
            WriteLocks.SlowCall("a password check");
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private sealed class Protection(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), purpose);
    }

    private sealed class Protector(IDataProtector inner, string purpose) : IDataProtector
    {
        public IDataProtector CreateProtector(string childPurpose) => new Protector(inner.CreateProtector(childPurpose), $"{purpose}/{childPurpose}");

        public byte[] Protect(byte[] plaintext)
        {
            WriteLocks.SlowCall($"Data Protection ({purpose})");
            return inner.Protect(plaintext);
        }

        public byte[] Unprotect(byte[] protectedData)
        {
            WriteLocks.SlowCall($"Data Protection ({purpose})");
            return inner.Unprotect(protectedData);
        }
    }

    private sealed class Transport(IMailTransport inner) : IMailTransport
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            WriteLocks.SlowCall("sending a mail");
            return inner.SendAsync(message, cancellationToken);
        }
    }
}
