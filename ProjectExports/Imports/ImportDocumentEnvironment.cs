using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// One environment of a document: its settings (the environment model's properties, side by side with the sections
/// in the document's object; <see cref="ImportContract"/> reads them into <see cref="Settings"/>) and its sections.
/// A document read by <see cref="ImportDocumentReader"/> keeps the sections compressed (<see cref="StoredSections"/>)
/// and reads them only while the environment is checked or planned (<see cref="ReadSections"/>).
/// </summary>
public sealed class ImportDocumentEnvironment
{
    [JsonIgnore]
    public ProjectEnvironment Settings { get; set; } = new();

    public List<FeatureState> FeatureStates { get; set; } = [];

    public List<FeatureSegment> FeatureSegments { get; set; } = [];

    /// <summary>Null when the environment has no <c>identity_overrides</c> section (exported without them).</summary>
    public List<IdentityOverride>? IdentityOverrides { get; set; }

    /// <summary>The sections as the document holds them, compressed (<see cref="ImportEnvironmentSections"/>); null for an environment built in memory, whose sections are its lists.</summary>
    [JsonIgnore]
    public BinaryData? StoredSections { get; set; }

    /// <summary>
    /// Reads the stored sections into the lists until the returned scope ends, when they are let go again (a section
    /// stays present, or absent, as it was). Without stored sections the lists are used as they are, and kept.
    /// </summary>
    public IDisposable ReadSections()
    {
        if (StoredSections is null) return NothingToRelease.Instance;
        using (var json = new GZipStream(StoredSections.ToStream(), CompressionMode.Decompress))
        using (SharedStringConverter.Scope())
        {
            var read = JsonSerializer.Deserialize(json, ImportContract.Environment)!;
            (FeatureStates, FeatureSegments, IdentityOverrides) = (read.FeatureStates, read.FeatureSegments, read.IdentityOverrides);
        }
        return new SectionsRead(this);
    }

    /// <summary>The names of the environment's sections, which are not properties of the environment model.</summary>
    public static readonly string[] Sections = ["feature_states", "feature_segments", "identity_overrides"];

    private sealed class SectionsRead(ImportDocumentEnvironment environment) : IDisposable
    {
        public void Dispose() =>
            (environment.FeatureStates, environment.FeatureSegments, environment.IdentityOverrides) = ([], [], environment.IdentityOverrides is null ? null : []);
    }

    private sealed class NothingToRelease : IDisposable
    {
        public static readonly NothingToRelease Instance = new();

        public void Dispose()
        {
        }
    }
}
