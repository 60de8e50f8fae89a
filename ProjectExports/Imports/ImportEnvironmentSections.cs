using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ProjectExports.Imports;

/// <summary>
/// Keeps an environment's sections (states, segment overrides, identity overrides: nearly all of a large document)
/// apart from the rest of the document, compressed, and reads them into the models only while the environment is
/// checked or planned (<see cref="ImportDocumentEnvironment.ReadSections"/>). A large document's models are then never
/// all held: the rest of the document and one environment's sections at a time.
/// </summary>
public static class ImportEnvironmentSections
{
    /// <summary>
    /// Splits a document of the right shape (<see cref="ImportShapeChecker"/>): its JSON with each environment's
    /// sections emptied (an array as <c>[]</c>, a null as it is), everything else as it is; and each environment's
    /// sections, in document order, as a compressed JSON object of those sections alone.
    /// </summary>
    public static (byte[] Others, List<BinaryData> Sections) Split(ReadOnlySpan<byte> json)
    {
        var others = new ArrayBufferWriter<byte>(json.Length / 8);
        var sections = new List<BinaryData>();
        var copied = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ImportDocumentParser.MaxDepth });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var environments = reader.ValueTextEquals("environments"u8);
            reader.Read();
            if (!environments || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                sections.Add(SplitEnvironment(ref reader, json, others, ref copied));
            }
        }
        others.Write(json[copied..]);
        return (others.WrittenSpan.ToArray(), sections);
    }

    /// <summary>
    /// One environment's object, the reader at its start: its sections compressed, returned; the document's JSON up to
    /// each of its array sections copied to <paramref name="others"/> (from <paramref name="copied"/>) with the section as <c>[]</c>.
    /// </summary>
    private static BinaryData SplitEnvironment(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ArrayBufferWriter<byte> others, ref int copied)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("{"u8);
            var first = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var section = SectionOf(ref reader);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var isArray = reader.TokenType == JsonTokenType.StartArray;
                reader.Skip();
                if (section < 0) continue;
                var end = (int)reader.BytesConsumed;
                gzip.Write(first ? "\""u8 : ",\""u8);
                gzip.Write(Encoding.UTF8.GetBytes(ImportDocumentEnvironment.Sections[section]));
                gzip.Write("\":"u8);
                gzip.Write(json[start..end]);
                first = false;
                if (!isArray) continue;
                // The others keep the section, empty: its presence is the document's (identity overrides may be left out).
                others.Write(json[copied..start]);
                others.Write("[]"u8);
                copied = end;
            }
            gzip.Write("}"u8);
        }
        return new BinaryData(compressed.ToArray());
    }

    /// <summary>Which of <see cref="ImportDocumentEnvironment.Sections"/> the property at the reader names, or -1.</summary>
    private static int SectionOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < ImportDocumentEnvironment.Sections.Length; i++)
        {
            if (reader.ValueTextEquals(ImportDocumentEnvironment.Sections[i])) return i;
        }
        return -1;
    }
}
