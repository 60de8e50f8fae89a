using System.Text;
using ProjectExports.Http;

namespace ProjectExports.Imports;

/// <summary>
/// What an import creates, replaces and leaves alone: <c>*_unchanged</c> counts what the project already holds as the
/// document has it (not written), <c>*_skipped</c> what differs but SKIP leaves alone. A replaced feature or segment (OVERWRITE_DESTRUCTIVE) counts
/// as deleted and created, as in Flagsmith; it keeps its id, so other environments' references stay valid.
/// </summary>
public sealed class ImportSummary
{
    public int EnvironmentsCreated { get; set; }
    public int EnvironmentsUpdated { get; set; }
    public int EnvironmentsSkipped { get; set; }
    public int EnvironmentsUnchanged { get; set; }
    public int TagsCreated { get; set; }
    public int TagsUpdated { get; set; }
    public int TagsSkipped { get; set; }
    public int TagsUnchanged { get; set; }
    public int SegmentsCreated { get; set; }
    public int SegmentsDeleted { get; set; }
    public int SegmentsSkipped { get; set; }
    public int SegmentsUnchanged { get; set; }
    public int FeaturesCreated { get; set; }
    public int FeaturesDeleted { get; set; }
    public int FeaturesSkipped { get; set; }
    public int FeaturesUnchanged { get; set; }
    public int FeatureStatesCreated { get; set; }
    public int FeatureStatesDeleted { get; set; }
    public int FeatureStatesSkipped { get; set; }
    public int FeatureStatesUnchanged { get; set; }
    public int FeatureSegmentsCreated { get; set; }
    public int FeatureSegmentsDeleted { get; set; }
    public int FeatureSegmentsUnchanged { get; set; }
    public int IdentityOverridesCreated { get; set; }
    public int IdentityOverridesDeleted { get; set; }
    public int IdentityOverridesSkipped { get; set; }
    public int IdentityOverridesUnchanged { get; set; }

    /// <summary>"3 environments created, 40 features created, …": every non-zero count, in field order.</summary>
    public string ToWords()
    {
        var words = new StringBuilder();
        foreach (var property in ApiJsonContext.Wire.ImportSummary.Properties)
        {
            var count = (int)property.Get!(this)!;
            if (count == 0) continue;
            if (words.Length > 0) words.Append(", ");
            words.Append(count).Append(' ').Append(property.Name.Replace('_', ' '));
        }
        return words.Length == 0 ? "nothing to change" : words.ToString();
    }
}
