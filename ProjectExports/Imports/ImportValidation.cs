namespace ProjectExports.Imports;

/// <summary>Answer of POST …/project-imports/validate: every problem, every warning, and what the import would do.</summary>
public sealed record ImportValidation(IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, ImportSummary? ResultSummary);
