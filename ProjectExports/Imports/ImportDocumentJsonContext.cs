using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>
/// The models' own serialization (the options of ProjectJsonContext) for reading a whole document in one pass;
/// <see cref="ImportContract"/> adds what import reads differently. The nesting limit is the parser's.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    MaxDepth = ImportDocumentParser.MaxDepth)]
[JsonSerializable(typeof(ImportDocument))]
[JsonSerializable(typeof(ProjectExports.Projects.ProjectEnvironment))] // read into ImportDocumentEnvironment.Settings by ImportContract
internal sealed partial class ImportDocumentJsonContext : JsonSerializerContext;
