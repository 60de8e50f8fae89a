using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// A version 1 document read into the models (through <see cref="ImportContract"/>), before the planner turns its
/// references into ids: a feature state's or segment override's <c>feature</c> and <c>segment</c> hold names, a
/// feature's <c>tags</c> hold labels, and a multivariate value's <c>multivariate_feature_option</c> holds the index
/// (as text) of the option in its feature's <c>multivariate_options</c>.
/// </summary>
public sealed class ImportDocument
{
    public long Version { get; set; }

    /// <summary>Null when the document has no <c>tags</c> section (exported with include_tags false).</summary>
    public List<Tag>? Tags { get; set; }

    public List<Segment> Segments { get; set; } = [];

    public List<Feature> Features { get; set; } = [];

    public List<ImportDocumentEnvironment> Environments { get; set; } = [];
}
