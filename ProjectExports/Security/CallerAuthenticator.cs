using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using ProjectExports.Http;

namespace ProjectExports.Security;

/// <summary>
/// Reads the <c>Authorization</c> header: <c>Bearer &lt;JWT&gt;</c> or <c>Api-Key &lt;key&gt;</c>. Anything else, and
/// any credential that does not check out, is a 401 problem with a <c>WWW-Authenticate</c> challenge; neither the
/// header's value nor any part of it is ever echoed or logged.
/// </summary>
public sealed class CallerAuthenticator(BearerTokenValidator tokens, VerifiedApiKeys keys, ILogger<CallerAuthenticator> logger)
{
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "Api-Key";

    public async Task<Outcome<AuthenticatedCaller>> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var headers = request.Headers[HeaderNames.Authorization];
        if (headers.Count == 0 || string.IsNullOrWhiteSpace(headers.ToString()))
        {
            return Unauthorized("authentication_required", "Send 'Authorization: Bearer <token>' or 'Authorization: Api-Key <key>'.", null);
        }
        var header = headers.Count == 1 ? headers[0]!.Trim() : "";
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space > 0 ? header[..space] : "";
        var credential = space > 0 ? header[(space + 1)..].Trim() : "";
        if (credential.Length == 0 || credential.Contains(' ', StringComparison.Ordinal))
        {
            return Unauthorized("invalid_authorization_header", "The Authorization header must be 'Bearer <token>' or 'Api-Key <key>'.", null);
        }

        if (scheme.Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            var result = await tokens.ValidateAsync(credential, cancellationToken).ConfigureAwait(false);
            if (result.Failure is not null)
            {
                logger.LogInformation("Refused a bearer token: {Reason}", result.Failure);
                return Unauthorized("invalid_token", result.Failure, $"{BearerScheme} error=\"invalid_token\"");
            }
            return new AuthenticatedCaller(Caller.User(result.UserId!), result.AllProjects);
        }
        if (scheme.Equals(ApiKeyScheme, StringComparison.OrdinalIgnoreCase))
        {
            var key = await keys.VerifyAsync(credential, cancellationToken).ConfigureAwait(false);
            if (key is null || key.IsRevoked)
            {
                logger.LogInformation("Refused an API key ({Reason}).", key is null ? "unknown" : $"key {key.Id} is revoked");
                return Unauthorized("invalid_api_key", "The API key is not valid, or it has been revoked.", $"{ApiKeyScheme} error=\"invalid_api_key\"");
            }
            return new AuthenticatedCaller(Caller.ApiKey(key.Id), key.AllProjects);
        }
        return Unauthorized("invalid_authorization_header", "The Authorization scheme must be 'Bearer' or 'Api-Key'.", null);
    }

    /// <param name="failedChallenge">
    /// For a credential that was read but failed: its scheme with an RFC 6750-style <c>error</c>, named like the
    /// problem's <c>code</c> (<c>invalid_token</c> is RFC 6750's own; Api-Key is this API's scheme, so
    /// <c>invalid_api_key</c> is ours). Without one, the schemes the API accepts, as RFC 6750 §3.1 asks when no
    /// credential came. The README's table lists these values and a test holds them to it.
    /// </param>
    private static Outcome<AuthenticatedCaller> Unauthorized(string code, string detail, string? failedChallenge) =>
        Outcome<AuthenticatedCaller>.Refused(new ChallengeResult(
            failedChallenge ?? $"{BearerScheme}, {ApiKeyScheme}",
            Problems.Create(StatusCodes.Status401Unauthorized, code, "Authentication is required.", detail)));

    /// <summary>A problem with the <c>WWW-Authenticate</c> challenge RFC 9110 requires on every 401.</summary>
    private sealed class ChallengeResult(string challenge, IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = challenge;
            return problem.ExecuteAsync(httpContext);
        }
    }
}
