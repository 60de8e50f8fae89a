using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ProjectExports.Http;

namespace ProjectExports.Imports;

/// <summary>A 400 problem listing every <see cref="ImportIssue"/> in an <c>errors</c> extension (snake_case, as the issues are written everywhere).</summary>
public static class IssuesProblem
{
    /// <param name="what">What has the issues and what was not done: "The document", "nothing was imported".</param>
    public static IResult Create(string code, string title, string what, string notDone, IReadOnlyList<ImportIssue> issues) =>
        Results.Problem(
            detail: $"{what} has {issues.Count} problem{(issues.Count == 1 ? "" : "s")}; {notDone}. See 'errors'.",
            statusCode: StatusCodes.Status400BadRequest,
            title: title,
            type: $"urn:project-exports:problem:{code}",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = code,
                ["errors"] = JsonSerializer.SerializeToElement(issues.ToList(), ApiJsonContext.Wire.ListImportIssue),
            });
}
