using Microsoft.AspNetCore.Http;

namespace ProjectExports.Http;

/// <summary>
/// RFC 9457 problem details (application/problem+json) with a stable <c>code</c> extension. The <c>type</c> is a
/// URN per code, so clients can switch on either.
/// </summary>
public static class Problems
{
    public static IResult Create(int status, string code, string title, string detail) =>
        Results.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            type: $"urn:project-exports:problem:{code}",
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>A request the web server gave up on while the app read it (<c>BadHttpRequestException</c>).</summary>
    public static IResult BadHttpRequest(int status, string detail) => status switch
    {
        StatusCodes.Status408RequestTimeout => Create(status, "request_timeout", "The request body arrived too slowly.", detail),
        StatusCodes.Status413PayloadTooLarge => Create(status, "body_too_large", "The body is too large.", detail),
        _ => Create(status, "bad_request", "The request is not valid.", detail),
    };

    public static IResult BadRequest(string code, string detail) => Create(StatusCodes.Status400BadRequest, code, "The request is not valid.", detail);

    public static IResult NotFound(string code, string detail) => Create(StatusCodes.Status404NotFound, code, "Not found.", detail);

    public static IResult ProjectNotFound(string projectId) => NotFound("project_not_found", $"There is no project '{projectId}'.");

    public static IResult InvalidProjectId() =>
        BadRequest("invalid_project_id", $"The project id is not valid: use {Projects.ProjectIds.Rule}.");

    /// <summary>
    /// 409: the request is fine and storage answers, but the project's own stored data cannot be read. Not 503 (a
    /// retry fails the same way until the data is repaired), not 400/422 (the caller's input is not at fault).
    /// </summary>
    public static IResult StoredDataUnreadable() =>
        Create(StatusCodes.Status409Conflict, "stored_data_unreadable", "Stored data is unreadable.",
            "Part of this project's stored data cannot be read, so the request cannot be carried out. Nothing was written; the operator has the details in the logs.");

    public static IResult StorageUnavailable() =>
        Create(StatusCodes.Status503ServiceUnavailable, "storage_unavailable", "Storage is unavailable.",
            "The service could not reach its storage account. Retry in a moment.");
}
