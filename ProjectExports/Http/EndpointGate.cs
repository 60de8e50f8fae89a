namespace ProjectExports.Http;

/// <summary>What <see cref="ApiGate"/> checks before an endpoint runs.</summary>
public enum EndpointGate
{
    /// <summary>Nothing: the endpoint asks for no credentials (the health probe).</summary>
    None,

    /// <summary>An authenticated caller (401): endpoints that name no existing project.</summary>
    Caller,

    /// <summary>
    /// Every endpoint under <c>/projects/{projectId}</c>, in this order: an authenticated caller (401), a valid
    /// project id (400), project admin (403), an existing project (404).
    /// </summary>
    Project,
}
