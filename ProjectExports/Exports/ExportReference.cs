namespace ProjectExports.Exports;

/// <summary>What an export writes for a property that refers to other entities (see <see cref="ExportContract.References"/>).</summary>
public enum ExportReference
{
    /// <summary>A feature's tag ids as the tags' labels, in export order (left out when tags are not exported).</summary>
    TagLabels,

    /// <summary>A feature id as the feature's name.</summary>
    FeatureName,

    /// <summary>A segment id as the segment's name.</summary>
    SegmentName,

    /// <summary>A state's allocations that point at an exported option, in option order.</summary>
    MultivariateValues,

    /// <summary>A multivariate option's id as its index in the feature's exported options.</summary>
    OptionIndex,
}
