using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ProjectExports.Storage;

/// <summary>Key rules of Table Storage and the key encodings this app relies on for ordering.</summary>
public static partial class TableKeys
{
    /// <summary>Table Storage keys hold at most 1,024 characters.</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>Ids of entities inside a project: short, and safe to use in keys as they are.</summary>
    public const int MaxIdLength = 64;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Throws a <see cref="StorageLimitException"/> naming the field when an id cannot be a key.</summary>
    public static string RequireId(string? id, string what) =>
        IsValidId(id)
            ? id!
            : throw new StorageLimitException(
                $"{what} '{Truncate(id)}' is not a valid id: use 1 to {MaxIdLength} letters, digits, '-' or '_'.");

    public static bool IsValidKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength) return false;
        foreach (var c in key)
        {
            if (IsForbidden(c)) return false;
        }
        return true;
    }

    private static bool IsForbidden(char c) => c is '/' or '\\' or '#' or '?' || char.IsControl(c);

    /// <summary>
    /// Throws when a key breaks Table Storage's rules: '/', '\', '#', '?', control characters, or more than 1,024 characters.
    /// </summary>
    public static string RequireKey(string key, string what)
    {
        if (key.Length > MaxKeyLength)
        {
            throw new StorageLimitException($"{what} is {key.Length} characters long; Table Storage keys hold at most {MaxKeyLength}.");
        }
        foreach (var c in key)
        {
            if (IsForbidden(c))
            {
                throw new StorageLimitException(
                    $"{what} '{Truncate(key)}' contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c)}', which Table Storage does not allow in keys.");
            }
        }
        return key;
    }

    /// <summary>
    /// A fixed-width number that sorts newest first: keys built from it list the latest entries first
    /// in the table's own (ascending) order.
    /// </summary>
    public static string NewestFirst(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>A fixed-width number that sorts oldest first.</summary>
    public static string OldestFirst(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// Lower-case hex of the UTF-8 bytes: safe in any key, and its ordinal order is the text's
    /// code-point order (see <see cref="Exports.ExportOrder"/>), so a partition lists in document order.
    /// </summary>
    public static string OrderedHex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    public static string FromOrderedHex(string hex) => Encoding.UTF8.GetString(Convert.FromHexString(hex));

    private static string Truncate(string? value) =>
        value is null ? "" : value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}
