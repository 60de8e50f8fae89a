using ProjectExports.Imports.Review;

namespace ProjectExports.Imports;

/// <summary>
/// Answer of POST …/project-imports/validate: every problem, every warning, what the import would do (the summary and
/// the reviewed plan, capped), and the plan's id to import exactly this plan with. The last three are null with errors.
/// </summary>
public sealed record ImportValidation(
    IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, ImportSummary? ResultSummary, string? PlanId = null, ImportPlanReview? Plan = null);
