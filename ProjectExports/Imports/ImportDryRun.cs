namespace ProjectExports.Imports;

/// <summary>What an import would do to the project now: the validate endpoint's answer, and the plan when there are no errors (which the create endpoint stores).</summary>
public sealed record ImportDryRun(ImportValidation Validation, ImportPlan? Plan);
