using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace ProjectExports.Storage;

/// <summary>Receives one row of a query: its RowKey and the model JSON that <see cref="JsonEntityCodec"/> stored.</summary>
public delegate void TableRowCallback(string rowKey, ReadOnlySpan<byte> json);

/// <summary>
/// Reads the body of a Table Storage query (<c>{"odata.metadata": …, "value": [entity, …]}</c>) from the network as
/// it arrives, one entity at a time, and hands each entity's RowKey and decoded <see cref="JsonEntityCodec"/> data to a
/// callback. Memory is one read buffer plus the largest entity, instead of the whole page as strings and dictionaries
/// (what the Tables client builds): an export's heap stays flat however many rows it reads.
/// </summary>
public sealed class TableQueryBodyReader(Stream body) : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int MaxChunkIndex = JsonEntityCodec.MaxChunks - 1;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);

    /// <summary>The ETag (<c>odata.etag</c>) of the row being handed to the callback, when the response carries one.</summary>
    public string? ETag { get; private set; }

    private byte[] _decoded = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _start;
    private int _end;
    private bool _endOfBody;
    private JsonReaderState _state;
    private bool _inValue;
    private bool _done;

    /// <summary>Reads the whole body, calling <paramref name="onRow"/> for each entity and <paramref name="afterChunk"/> after each read from the network.</summary>
    public async Task ReadAsync(TableRowCallback onRow, Func<CancellationToken, ValueTask> afterChunk, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                ParseBuffered(onRow);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"A table query's response is not the JSON the table service sends: {e.Message}", e);
            }
            await afterChunk(cancellationToken).ConfigureAwait(false);
            if (_done)
            {
                return;
            }
            if (_endOfBody)
            {
                throw new InvalidDataException("A table query's response ended before its list of entities did.");
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves unread bytes to the front, grows the buffer when one entity fills it, and reads more.</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        _endOfBody = read == 0;
    }

    /// <summary>Consumes every complete token in the buffer; an entity is only consumed once all of it is there.</summary>
    private void ParseBuffered(TableRowCallback onRow)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _endOfBody, _state);
        while (!_done)
        {
            var before = reader.CurrentState;
            var consumedBefore = reader.BytesConsumed;
            if (!reader.Read())
            {
                break;
            }
            if (!_inValue)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("value"u8))
                {
                    _inValue = true;
                }
                continue; // the envelope's other tokens (odata.metadata) are not needed
            }
            if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 1)
            {
                _done = true;
            }
            else if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 2)
            {
                var entityStart = reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    // Part of the entity is still on the network: read it again from its start once more bytes arrived.
                    _start += (int)consumedBefore;
                    _state = before;
                    return;
                }
                ReadEntity(_buffer.AsSpan(_start + (int)entityStart, (int)(reader.BytesConsumed - entityStart)), onRow);
            }
        }
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private void ReadEntity(ReadOnlySpan<byte> entity, TableRowCallback onRow)
    {
        Span<Range> chunks = stackalloc Range[JsonEntityCodec.MaxChunks];
        byte[]?[]? unescapedChunks = null; // JSON may escape base64's '/' and '+'; rare, so decoded the simple way
        var present = 0;
        string? rowKey = null;
        ETag = null;
        var reader = new Utf8JsonReader(entity, isFinalBlock: true, default);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var chunk = ChunkIndex(ref reader);
            var isRowKey = chunk < 0 && reader.ValueTextEquals("RowKey"u8);
            var isETag = chunk < 0 && !isRowKey && reader.ValueTextEquals("odata.etag"u8);
            reader.Read();
            if (isRowKey)
            {
                rowKey = reader.GetString();
            }
            else if (isETag && reader.TokenType == JsonTokenType.String)
            {
                ETag = reader.GetString();
            }
            else if (chunk >= 0 && reader.TokenType == JsonTokenType.String)
            {
                if (reader.ValueIsEscaped)
                {
                    unescapedChunks ??= new byte[]?[JsonEntityCodec.MaxChunks];
                    unescapedChunks[chunk] = reader.TryGetBytesFromBase64(out var bytes) ? bytes : throw NotBase64(rowKey);
                }
                var start = (int)reader.TokenStartIndex + 1; // after the opening quote
                chunks[chunk] = new Range(start, start + reader.ValueSpan.Length);
                present |= 1 << chunk;
            }
            else
            {
                reader.Skip();
            }
        }
        if (rowKey is null || (present & 1) == 0)
        {
            throw new InvalidDataException($"A table row {(rowKey is null ? "without a RowKey" : $"'{rowKey}'")} has no Data property.");
        }
        var length = 0;
        for (var i = 0; i < JsonEntityCodec.MaxChunks && (present & (1 << i)) != 0; i++)
        {
            length += unescapedChunks?[i] is { } bytes ? Append(bytes, length) : Decode(entity[chunks[i]], length, rowKey);
        }
        onRow(rowKey, _decoded.AsSpan(0, length));
    }

    /// <summary>The index of a Data, Data1 … Data14 property name, or -1 for any other property.</summary>
    private static int ChunkIndex(ref Utf8JsonReader reader)
    {
        var name = reader.ValueSpan;
        if (reader.ValueIsEscaped || !name.StartsWith("Data"u8))
        {
            return -1;
        }
        if (name.Length == 4)
        {
            return 0;
        }
        return name[4] != (byte)'0' && Utf8Parser.TryParse(name[4..], out int index, out var consumed)
            && consumed == name.Length - 4 && index <= MaxChunkIndex ? index : -1;
    }

    /// <summary>Decodes one base64 chunk into <see cref="_decoded"/> at <paramref name="offset"/>.</summary>
    private int Decode(ReadOnlySpan<byte> base64, int offset, string? rowKey)
    {
        EnsureDecodedCapacity(offset + Base64.GetMaxDecodedFromUtf8Length(base64.Length), offset);
        return Base64.DecodeFromUtf8(base64, _decoded.AsSpan(offset), out _, out var written) == OperationStatus.Done
            ? written
            : throw NotBase64(rowKey);
    }

    private int Append(byte[] bytes, int offset)
    {
        EnsureDecodedCapacity(offset + bytes.Length, offset);
        bytes.CopyTo(_decoded, offset);
        return bytes.Length;
    }

    private void EnsureDecodedCapacity(int needed, int keep)
    {
        if (needed > _decoded.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            _decoded.AsSpan(0, keep).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_decoded);
            _decoded = larger;
        }
    }

    private static InvalidDataException NotBase64(string? rowKey) =>
        new($"Table row '{rowKey}' holds data that is not base64: it was not written by this app.");

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_decoded);
        _buffer = _decoded = [];
    }
}
