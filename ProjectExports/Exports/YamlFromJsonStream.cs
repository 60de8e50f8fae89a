using System.Buffers;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ProjectExports.Exports;

/// <summary>
/// A write-only stream that takes one JSON document in pieces and passes it on as YAML: each JSON token becomes a
/// YAML event as it arrives (block style, no anchors, numbers as JSON wrote them, strings styled by
/// <see cref="YamlScalars"/>), so the YAML has the JSON's content and order by construction and memory holds only
/// the piece being converted. The document's end (its root closing) ends the YAML stream.
/// </summary>
public sealed class YamlFromJsonStream : Stream
{
    private static readonly EmitterSettings Settings = new(
        bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024,
        skipAnchorName: false, indentSequences: false, newLine: "\n");

    private static readonly Scalar PlainTrue = Plain("true");
    private static readonly Scalar PlainFalse = Plain("false");
    private static readonly Scalar PlainNull = Plain("null");

    /// <summary>Property names repeat on every entity: each one's event is made once (up to a bound), not per use.</summary>
    private const int MaxCachedKeys = 512;
    private const int MaxCachedKeyChars = 64;

    private readonly Dictionary<string, Scalar> _keys = new(StringComparer.Ordinal);
    private readonly char[] _keyChars = new char[MaxCachedKeyChars];
    private readonly Stream _output;
    private readonly MemoryStream _yaml = new();
    private readonly StreamWriter _text;
    private readonly Emitter _emitter;
    private byte[] _pending = [];
    private int _pendingCount;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 256 });
    private bool _started;
    private bool _ended;

    public YamlFromJsonStream(Stream output)
    {
        _output = output;
        _text = new StreamWriter(_yaml, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        _emitter = new Emitter(_text, Settings);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Append(buffer.Span);
        var consumed = Convert(_pending.AsSpan(0, _pendingCount));
        // What is left is the start of a token the next piece completes.
        _pending.AsSpan(consumed, _pendingCount - consumed).CopyTo(_pending);
        _pendingCount -= consumed;

        _text.Flush();
        if (_yaml.Length > 0)
        {
            await _output.WriteAsync(_yaml.GetBuffer().AsMemory(0, (int)_yaml.Length), cancellationToken).ConfigureAwait(false);
            _yaml.SetLength(0);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("YamlFromJsonStream is written asynchronously only.");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    private void Append(ReadOnlySpan<byte> json)
    {
        if (_pendingCount + json.Length > _pending.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(_pendingCount + json.Length);
            _pending.AsSpan(0, _pendingCount).CopyTo(grown);
            ReturnPending();
            _pending = grown;
        }
        json.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += json.Length;
    }

    /// <summary>Emits the events of every whole token in <paramref name="json"/>; returns the bytes they took.</summary>
    private int Convert(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, _state);
        while (reader.Read())
        {
            if (_ended)
            {
                throw new InvalidOperationException("JSON after the end of the document.");
            }
            if (!_started)
            {
                _emitter.Emit(new StreamStart());
                _emitter.Emit(new DocumentStart(null, null, isImplicit: true));
                _started = true;
            }
            _emitter.Emit(reader.TokenType switch
            {
                JsonTokenType.StartObject => new MappingStart(null, null, isImplicit: true, MappingStyle.Block),
                JsonTokenType.EndObject => new MappingEnd(),
                JsonTokenType.StartArray => new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block),
                JsonTokenType.EndArray => new SequenceEnd(),
                JsonTokenType.PropertyName => Key(ref reader),
                JsonTokenType.String => Text(reader.GetString()!),
                // The number exactly as JSON wrote it (30.0 stays 30.0, a long keeps every digit): plain, so it reads as a number.
                JsonTokenType.Number => Plain(Encoding.UTF8.GetString(reader.ValueSpan)),
                JsonTokenType.True => PlainTrue,
                JsonTokenType.False => PlainFalse,
                JsonTokenType.Null => PlainNull,
                var other => throw new InvalidOperationException($"Unexpected JSON token {other}."),
            });
            if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName))
            {
                _emitter.Emit(new DocumentEnd(isImplicit: true));
                _emitter.Emit(new StreamEnd());
                _ended = true;
            }
        }
        _state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private Scalar Key(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > MaxCachedKeyChars)
        {
            return Text(reader.GetString()!);
        }
        // Unescaped UTF-8 of at most 64 bytes decodes to at most 64 chars.
        var chars = _keyChars.AsSpan(0, Encoding.UTF8.GetChars(reader.ValueSpan, _keyChars));
        if (_keys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var cached))
        {
            return cached;
        }
        var key = Text(chars.ToString());
        if (_keys.Count < MaxCachedKeys)
        {
            _keys.Add(key.Value, key);
        }
        return key;
    }

    private static Scalar Text(string value) =>
        new(null, null, value, YamlScalars.StyleOf(value), isPlainImplicit: true, isQuotedImplicit: true);

    private static Scalar Plain(string value) => new(null, null, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);

    private void ReturnPending()
    {
        if (_pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_pending);
        }
        _pending = [];
    }

    public override async ValueTask DisposeAsync()
    {
        await _text.DisposeAsync().ConfigureAwait(false);
        ReturnPending();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
