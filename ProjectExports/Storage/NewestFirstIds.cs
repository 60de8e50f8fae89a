using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ProjectExports.Storage;

/// <summary>
/// Ids of records that a project lists newest first (exports, imports): 19 digits of reversed creation ticks, then
/// 8 random hex digits. The id is also the RowKey, so the project's partition lists them newest first without an index.
/// </summary>
public static partial class NewestFirstIds
{
    public const string Rule = "27 characters: 19 digits then 8 lower-case hex digits";

    [GeneratedRegex("^[0-9]{19}[0-9a-f]{8}$")]
    private static partial Regex Pattern();

    public static string New(DateTimeOffset createdAt) =>
        TableKeys.NewestFirst(createdAt) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);
}
