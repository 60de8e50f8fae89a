using System.Text;
using System.Text.Json;

namespace ProjectExports.Imports;

/// <summary>
/// Whether bytes are one JSON value as <see cref="JsonDocument"/> would accept it with duplicate properties refused
/// and a nesting limit, found by reading them once and building nothing: a 9 MB document parsed into a
/// <see cref="JsonDocument"/> took 16 MiB of metadata on the large object heap, all of it garbage once checked.
/// </summary>
internal static class JsonSyntax
{
    /// <summary>Past this many properties an object's names are found by hash rather than compared one by one.</summary>
    private const int HashedAfter = 16;

    /// <summary>What is wrong with <paramref name="json"/> as the reader says it, or null when it is valid.</summary>
    public static string? FindError(ReadOnlyMemory<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = maxDepth });
        // One set of names per open object, kept for the next object at that depth.
        var scopes = new List<ObjectNames>();
        var depth = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        if (scopes.Count == depth) scopes.Add(new ObjectNames());
                        scopes[depth++].Clear();
                        break;
                    case JsonTokenType.EndObject:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName:
                        var start = (int)reader.TokenStartIndex + 1;
                        var name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : json.Slice(start, reader.ValueSpan.Length);
                        if (!scopes[depth - 1].Add(name))
                        {
                            return $"'{Echo.Cut(Encoding.UTF8.GetString(name.Span), JsonPointer.MaxNameLength)}' is given twice in one object; give each property once. {Position(json.Span, start - 1)}";
                        }
                        break;
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    /// <summary>Where a token starts, in the words of the reader's own messages (both counted from 0).</summary>
    private static string Position(ReadOnlySpan<byte> json, int index)
    {
        var before = json[..index];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return $"LineNumber: {before.Count((byte)'\n')} | BytePositionInLine: {index - lineStart}.";
    }

    /// <summary>The names of one object's properties so far, as UTF-8.</summary>
    private sealed class ObjectNames
    {
        private readonly List<ReadOnlyMemory<byte>> _names = [];
        private HashSet<ReadOnlyMemory<byte>>? _hashed;

        public void Clear()
        {
            _names.Clear();
            _hashed = null;
        }

        /// <summary>False when the object already has the name.</summary>
        public bool Add(ReadOnlyMemory<byte> name)
        {
            if (_hashed is not null) return _hashed.Add(name);
            foreach (var seen in _names)
            {
                if (seen.Span.SequenceEqual(name.Span)) return false;
            }
            _names.Add(name);
            // An object of many properties (a large map) would make comparing each with all before it quadratic.
            if (_names.Count > HashedAfter) _hashed = new HashSet<ReadOnlyMemory<byte>>(_names, Utf8Comparer.Instance);
            return true;
        }
    }

    private sealed class Utf8Comparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly Utf8Comparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> name)
        {
            var hash = new HashCode();
            hash.AddBytes(name.Span);
            return hash.ToHashCode();
        }
    }
}
