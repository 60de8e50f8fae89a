using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>
/// Export ids sort newest first (19 digits of reversed creation ticks, then 8 random hex digits), so the id is
/// also the RowKey and a project's partition lists its exports newest first without a secondary index.
/// </summary>
public static partial class ExportIds
{
    public const string Rule = "27 characters: 19 digits then 8 lower-case hex digits";

    [GeneratedRegex("^[0-9]{19}[0-9a-f]{8}$")]
    private static partial Regex Pattern();

    public static string New(DateTimeOffset createdAt) =>
        TableKeys.NewestFirst(createdAt) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static bool IsValid(string? exportId) => exportId is not null && Pattern().IsMatch(exportId);

    public static string BlobName(string projectId, string exportId) => $"{projectId}/{exportId}.json";
}
