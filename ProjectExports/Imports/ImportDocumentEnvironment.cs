using System.Text.Json.Serialization;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// One environment of a document: its settings (the environment model's properties, side by side with the sections
/// in the document's object; <see cref="ImportContract"/> reads them into <see cref="Settings"/>) and its sections.
/// </summary>
public sealed class ImportDocumentEnvironment
{
    [JsonIgnore]
    public ProjectEnvironment Settings { get; set; } = new();

    public List<FeatureState> FeatureStates { get; set; } = [];

    public List<FeatureSegment> FeatureSegments { get; set; } = [];

    /// <summary>Null when the environment has no <c>identity_overrides</c> section (exported without them).</summary>
    public List<IdentityOverride>? IdentityOverrides { get; set; }

    /// <summary>Lets go of the sections' entries once they are planned; a section stays present (or absent) as it was.</summary>
    public void ReleaseSections() =>
        (FeatureStates, FeatureSegments, IdentityOverrides) = ([], [], IdentityOverrides is null ? null : []);

    /// <summary>The names of the environment's sections, which are not properties of the environment model.</summary>
    public static readonly string[] Sections = ["feature_states", "feature_segments", "identity_overrides"];
}
