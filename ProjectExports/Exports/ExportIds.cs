using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>Export ids: <see cref="NewestFirstIds"/>, and where an export's file lives.</summary>
public static class ExportIds
{
    public const string Rule = NewestFirstIds.Rule;

    public static string New(DateTimeOffset createdAt) => NewestFirstIds.New(createdAt);

    public static bool IsValid(string? exportId) => NewestFirstIds.IsValid(exportId);

    public static string BlobName(string projectId, string exportId, ExportFormat format = ExportFormat.Json) =>
        $"{projectId}/{exportId}.{format.Extension()}";
}
