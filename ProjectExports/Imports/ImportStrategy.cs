using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>What an import does with entities that already exist (matched by name, tags by label).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImportStrategy>))]
public enum ImportStrategy
{
    /// <summary>Create only what does not exist yet; leave existing entities untouched.</summary>
    [JsonStringEnumMemberName("SKIP")] Skip,
    /// <summary>Replace matching entities and their data in the document's environments.</summary>
    [JsonStringEnumMemberName("OVERWRITE_DESTRUCTIVE")] OverwriteDestructive,
}
