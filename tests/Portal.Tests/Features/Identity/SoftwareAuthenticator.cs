using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Tests.Features.Identity;

/// <summary>
/// A passkey authenticator in the test process, as a phone or security key would answer: a P-256 key pair, a credential
/// id, a signature counter, and the WebAuthn answers (attestation "none", assertions) the browser would post. It lets the
/// HTTP tests forge what an attacker could send: another login's user handle, a replayed challenge, a counter that goes back.
/// </summary>
public sealed class SoftwareAuthenticator(string origin = "https://portal.test", string rpId = "portal.test")
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    public uint Counter { get; set; }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight((text.Length + 3) / 4 * 4, '='));

    /// <summary>The challenge in the options a page rendered (its <c>data-passkey-options</c>).</summary>
    public static string ChallengeOf(string optionsJson) => JsonNode.Parse(optionsJson)!["challenge"]!.GetValue<string>();

    /// <summary>The answer to <c>navigator.credentials.create</c> for the options a page rendered.</summary>
    public string Create(string optionsJson)
    {
        var clientData = ClientData("webauthn.create", ChallengeOf(optionsJson));
        var parameters = _key.ExportParameters(false);
        var cose = new CborWriter();
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2);
        cose.WriteInt32(3);
        cose.WriteInt32(-7);
        cose.WriteInt32(-1);
        cose.WriteInt32(1);
        cose.WriteInt32(-2);
        cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();

        var authData = new List<byte>();
        authData.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)));
        authData.Add(0x01 | 0x04 | 0x40);
        authData.AddRange(BigEndian(Counter));
        authData.AddRange(new byte[16]);
        authData.Add((byte)(CredentialId.Length >> 8));
        authData.Add((byte)CredentialId.Length);
        authData.AddRange(CredentialId);
        authData.AddRange(cose.Encode());

        var attestation = new CborWriter();
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authData.ToArray());
        attestation.WriteEndMap();

        return JsonSerializer.Serialize(new
        {
            id = Base64Url(CredentialId),
            rawId = Base64Url(CredentialId),
            type = "public-key",
            clientExtensionResults = new { },
            response = new { attestationObject = Base64Url(attestation.Encode()), clientDataJSON = Base64Url(clientData), transports = new[] { "internal" } },
        });
    }

    /// <summary>The answer to <c>navigator.credentials.get</c>: signed by this key, naming <paramref name="userHandle"/> as its login.</summary>
    public string Assert(string optionsJson, byte[] userHandle, byte[]? credentialId = null)
    {
        Counter++;
        var clientData = ClientData("webauthn.get", ChallengeOf(optionsJson));
        var authData = SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).Append((byte)(0x01 | 0x04)).Concat(BigEndian(Counter)).ToArray();
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var id = credentialId ?? CredentialId;
        return JsonSerializer.Serialize(new
        {
            id = Base64Url(id),
            rawId = Base64Url(id),
            type = "public-key",
            clientExtensionResults = new { },
            response = new
            {
                authenticatorData = Base64Url(authData),
                clientDataJSON = Base64Url(clientData),
                signature = Base64Url(signature),
                userHandle = Base64Url(userHandle),
            },
        });
    }

    public static byte[] UserHandle(int userId) => Encoding.UTF8.GetBytes(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private byte[] ClientData(string type, string challenge) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin, crossOrigin = false }));

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
