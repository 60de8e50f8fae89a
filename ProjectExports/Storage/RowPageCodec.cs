using System.Text.Json;

namespace ProjectExports.Storage;

/// <summary>
/// Packs many logical rows (a key and the JSON stored for it) into the JSON of one table entity: an object whose
/// property names are the rows' keys in ordinal order and whose values are their JSON as stored. A page's RowKey is
/// "!" followed by the first key it holds ("!" alone for a partition's head page): '!' sorts below every character a
/// logical key starts with, so pages list in key order and never mix with plain rows such as a project's own.
/// </summary>
public static class RowPageCodec
{
    public const char KeyMark = '!';

    /// <summary>The head page's key: every logical key sorts at or above it.</summary>
    public const string HeadKey = "!";

    /// <summary>What a page aims at: one 64 KiB property, so a page is read without joining chunks.</summary>
    public const int TargetBytes = 60 * 1024;

    public static bool IsPageKey(string rowKey) => rowKey.Length > 0 && rowKey[0] == KeyMark;

    public static string PageKeyOf(string firstRowKey) => KeyMark + firstRowKey;

    /// <summary>The lowest logical key a page may hold.</summary>
    public static string LowerBoundOf(string pageKey) => pageKey[1..];

    /// <summary>What one row adds to a page's JSON: "key":value and a comma (keys are ids, hex and ':', never escaped).</summary>
    public static long EntryBytes(string key, int jsonLength) => key.Length + 4L + jsonLength;

    /// <summary>Whether a row fits in a page alone.</summary>
    public static bool Fits(string key, int jsonLength) => jsonLength <= MaxJsonBytes(key);

    private static long MaxJsonBytes(string key) => JsonEntityCodec.MaxBytes - 2 - EntryBytes(key, 0);

    /// <summary>Throws a <see cref="StorageLimitException"/> when a row could not fit in a page even alone.</summary>
    public static void RequireFits(string key, int jsonLength, string what)
    {
        var max = MaxJsonBytes(key);
        if (jsonLength > max)
        {
            throw new StorageLimitException(
                $"{what} is {jsonLength:N0} bytes as JSON; Table Storage holds at most {max:N0} bytes per entity. Shorten its text or split it.");
        }
    }

    /// <summary>
    /// The page's JSON, written straight into an array of its exact size (one page stays off the large object heap):
    /// keys are ids, hex and ':', which JSON never escapes, so each row is "key":json.
    /// </summary>
    public static byte[] Encode(IReadOnlyCollection<KeyValuePair<string, byte[]>> rows)
    {
        var page = new byte[Math.Max(2, 1 + rows.Sum(r => EntryBytes(r.Key, r.Value.Length)))];
        var at = 0;
        page[at++] = (byte)'{';
        foreach (var (key, json) in rows)
        {
            if (at > 1) page[at++] = (byte)',';
            page[at++] = (byte)'"';
            foreach (var c in key)
            {
                page[at++] = c is > ' ' and < (char)127 and not '"' and not '\\'
                    ? (byte)c
                    : throw new ArgumentException($"The row key '{key}' has a character a page does not take unescaped.", nameof(rows));
            }
            page[at++] = (byte)'"';
            page[at++] = (byte)':';
            json.CopyTo(page, at);
            at += json.Length;
        }
        page[at++] = (byte)'}';
        return page;
    }

    /// <summary>Hands each row of a page to <paramref name="onRow"/>, in the page's (key) order.</summary>
    public static void Decode(string pageKey, ReadOnlySpan<byte> page, TableRowCallback onRow)
    {
        try
        {
            var reader = new Utf8JsonReader(page);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new StoredDataException($"Page {pageKey} is not a JSON object.");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                onRow(key, page[start..(int)reader.BytesConsumed]);
            }
        }
        catch (JsonException e)
        {
            throw new StoredDataException($"Page {pageKey} is not readable JSON: {e.Message}", e);
        }
    }

    /// <summary>Every row of a page as key and bytes (for writers, which keep them).</summary>
    public static SortedDictionary<string, byte[]> DecodeAll(string pageKey, ReadOnlySpan<byte> page)
    {
        var rows = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        Decode(pageKey, page, (key, json) => rows[key] = json.ToArray());
        return rows;
    }
}
