using System.Buffers;
using System.Text.Json;

namespace ProjectExports.Exports;

/// <summary>
/// A JSON writer over a small buffer that is handed to a stream asynchronously whenever it fills.
/// JsonSerializer flushes its writer synchronously after every value; writing into a buffer rather than
/// the stream keeps all I/O asynchronous and memory bounded by one entity plus the threshold.
/// </summary>
internal sealed class JsonOutput : IAsyncDisposable
{
    private const int FlushThresholdBytes = 32 * 1024;

    private readonly Stream _stream;

    // Under the large object heap's 85,000 bytes: one buffer per export there, freed only by full collections, made the
    // API load's small exports trigger them every few seconds.
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThresholdBytes * 2);

    public JsonOutput(Stream stream, JsonWriterOptions options)
    {
        _stream = stream;
        Writer = new Utf8JsonWriter(_buffer, options);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>Passes the buffered JSON on once enough of it waits; call after each entity.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) => FlushAsync(FlushThresholdBytes, cancellationToken);

    /// <summary>Passes on everything written so far.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => FlushAsync(0, cancellationToken);

    private async ValueTask FlushAsync(int threshold, CancellationToken cancellationToken)
    {
        Writer.Flush();
        if (_buffer.WrittenCount > threshold)
        {
            await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
