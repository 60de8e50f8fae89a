namespace ProjectExports.Projects;

/// <summary>One environment's feature states and segment overrides (identity overrides stream separately).</summary>
public sealed record EnvironmentStates(IReadOnlyList<FeatureState> FeatureStates, IReadOnlyList<FeatureSegment> FeatureSegments);
