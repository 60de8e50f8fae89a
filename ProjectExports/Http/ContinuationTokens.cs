using System.Buffers.Text;
using System.Text;

namespace ProjectExports.Http;

/// <summary>Opaque page tokens: base64url of the RowKey a page ended on. Invalid tokens are refused, never passed to storage.</summary>
public static class ContinuationTokens
{
    public static string? Encode(string? rowKey) => rowKey is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rowKey));

    public static bool TryDecode(string token, Func<string, bool> isValidKey, out string rowKey)
    {
        rowKey = "";
        if (token.Length > 512)
        {
            return false;
        }
        try
        {
            rowKey = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }
        return isValidKey(rowKey);
    }
}
