using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ProjectExports.Http;

/// <summary>The <c>limit</c> and <c>next</c> query parameters of list endpoints.</summary>
public sealed record PageQuery(int Limit, string? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static Outcome<PageQuery> Parse(HttpRequest request, Func<string, bool> isValidKey)
    {
        var limit = DefaultLimit;
        if (request.Query.TryGetValue("limit", out var limitText)
            && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            return Outcome<PageQuery>.Refused(Problems.BadRequest("invalid_limit", $"'limit' must be a whole number from 1 to {MaxLimit}."));
        }
        string? after = null;
        if (request.Query.TryGetValue("next", out var token))
        {
            if (!ContinuationTokens.TryDecode(token.ToString(), isValidKey, out var rowKey))
            {
                return Outcome<PageQuery>.Refused(Problems.BadRequest("invalid_next_token", "'next' must be a token from the 'next' field of a previous page."));
            }
            after = rowKey;
        }
        return new PageQuery(limit, after);
    }
}
