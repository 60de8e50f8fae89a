namespace ProjectExports.LocalHost;

/// <summary>
/// Names each endpoint after its Azure Function and declares every status it answers. Nothing at run time
/// reads this: it is what the tests hold the OpenAPI document (openapi/) to, operation by operation.
/// </summary>
internal static class EndpointDescriptions
{
    /// <summary>What the gate in front of every project endpoint (ApiGate) may answer: bad id, no or bad credentials, not an admin, no such project, storage down.</summary>
    private static readonly int[] ProjectProblems =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
        StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable,
    ];

    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string functionName, int success, Type? body, params int[] problems)
    {
        endpoint.WithName(functionName).Produces(success, body, "application/json");
        foreach (var status in problems) endpoint.ProducesProblem(status);
        return endpoint;
    }

    public static RouteHandlerBuilder DescribeProjectEndpoint(this RouteHandlerBuilder endpoint, string functionName, int success, Type? body, params int[] moreProblems) =>
        endpoint.Describe(functionName, success, body, [.. ProjectProblems, .. moreProblems]);
}
