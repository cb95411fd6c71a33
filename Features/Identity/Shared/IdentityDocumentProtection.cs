using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.Identity;

/// <summary>
/// Encrypts identity documents at rest with the Data Protection key ring the farm shares (stored in the database and
/// encrypted with the key file), so that every instance can read a document and a copy of the database alone cannot.
/// Data Protection must not run while a write unit holds its lock: encrypt before the unit, decrypt outside any.
/// </summary>
public sealed class IdentityDocumentProtection(IDataProtectionProvider protection)
{
    /// <summary>The one purpose string of identity documents: changing it makes every stored document unreadable.</summary>
    public const string Purpose = "Portal.IdentityDocument.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public byte[] Protect(byte[] content) => _protector.Protect(content);

    public byte[] Unprotect(byte[] stored) => _protector.Unprotect(stored);
}
