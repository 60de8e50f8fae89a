using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ProjectExports.Security;

/// <summary>
/// The clear form of an API key: <c>pe_{keyId}_{secret}</c>. The key id is not secret (it names the key in
/// records, audit entries and the management command); the secret is 32 bytes from a cryptographic RNG.
/// Only a SHA-256 hash of the whole key is stored. A slow password hash would add nothing here: the key has
/// 256 bits of entropy, so its hash cannot be brute-forced, and a fast hash keeps every request cheap.
/// </summary>
public static partial class ApiKeySecret
{
    public const string Prefix = "pe_";
    public const string IdRule = "4 to 32 lower-case letters or digits";

    [GeneratedRegex("^[a-z0-9]{4,32}$")]
    private static partial Regex IdPattern();

    // The secret part: base64url, at least 32 characters (192 bits) so a hand-made local key is strong too.
    [GeneratedRegex("^pe_([a-z0-9]{4,32})_([A-Za-z0-9_-]{32,128})$")]
    private static partial Regex KeyPattern();

    public static bool IsValidId(string? keyId) => keyId is not null && IdPattern().IsMatch(keyId);

    /// <summary>A new key with a random 16-hex-digit id.</summary>
    public static (string KeyId, string Key) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return (keyId, Compose(keyId));
    }

    /// <summary>A new key under a chosen id (a fixed local admin key keeps its id across restarts).</summary>
    public static string Compose(string keyId)
    {
        if (!IsValidId(keyId))
        {
            throw new ArgumentException($"An API key id must be {IdRule}.", nameof(keyId));
        }
        return $"{Prefix}{keyId}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
    }

    /// <summary>Splits a presented key into its id; false for anything not shaped like a key.</summary>
    public static bool TryParse(string key, out string keyId)
    {
        var match = KeyPattern().Match(key);
        keyId = match.Success ? match.Groups[1].Value : "";
        return match.Success;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Compares a presented key with a stored hash in time that does not depend on where they differ.</summary>
    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
