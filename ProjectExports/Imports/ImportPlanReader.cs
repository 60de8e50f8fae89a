using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ProjectExports.Imports;

/// <summary>
/// Reads what <see cref="ImportPlanFormat"/> wrote with a <see cref="BinaryWriter"/> from a stream, asynchronously
/// (the stream is a download), through one pooled buffer: a row's fields come from the buffer without a call to the
/// stream, and a row's JSON, which may be larger, is read straight into its own array.
/// </summary>
internal sealed class ImportPlanReader(Stream stream) : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>Strings (keys) are short; a longer one means the bytes were not written by the plan's format.</summary>
    private const int MaxStringBytes = 16 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _start, _end;

    public async ValueTask<byte> ReadByteAsync(CancellationToken cancellationToken)
    {
        await FillAsync(1, cancellationToken).ConfigureAwait(false);
        return _buffer[_start++];
    }

    public async ValueTask<int> ReadInt32Async(CancellationToken cancellationToken)
    {
        await FillAsync(sizeof(int), cancellationToken).ConfigureAwait(false);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
        _start += sizeof(int);
        return value;
    }

    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it: its UTF-8 length, 7 bits per byte, then its bytes.</summary>
    public async ValueTask<string> ReadStringAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var part = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            length |= (part & 0x7F) << shift;
            if (part < 0x80) break;
            if (shift > 14) throw new InvalidDataException("A string's length is longer than any key.");
        }
        var bytes = await ReadSpanAsync(length <= MaxStringBytes ? length : throw new InvalidDataException($"A string of {length:N0} bytes is longer than any key."), cancellationToken).ConfigureAwait(false);
        return Utf8.GetString(bytes.Span);
    }

    /// <summary>The next <paramref name="count"/> bytes (at most the buffer's size), valid until the next read.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadSpanAsync(int count, CancellationToken cancellationToken)
    {
        await FillAsync(count, cancellationToken).ConfigureAwait(false);
        var bytes = _buffer.AsMemory(_start, count);
        _start += count;
        return bytes;
    }

    /// <summary>The next <paramref name="count"/> bytes in an array of their own.</summary>
    public async ValueTask<byte[]> ReadBytesAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bytes = new byte[count];
        var buffered = Math.Min(count, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(bytes);
        _start += buffered;
        if (buffered < count)
        {
            await stream.ReadExactlyAsync(bytes.AsMemory(buffered), cancellationToken).ConfigureAwait(false);
        }
        return bytes;
    }

    /// <summary>Reads past the next <paramref name="count"/> bytes, keeping none of them.</summary>
    public async ValueTask SkipAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var buffered = Math.Min(count, _end - _start);
        _start += buffered;
        for (var left = count - buffered; left > 0;)
        {
            var read = await stream.ReadAtLeastAsync(_buffer.AsMemory(0, Math.Min(left, _buffer.Length)), 1, throwOnEndOfStream: true, cancellationToken).ConfigureAwait(false);
            left -= read;
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from <c>_start</c>; throws <see cref="EndOfStreamException"/> when the stream ends first.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return;
        if (count > _buffer.Length) throw new InvalidDataException($"A field of {count:N0} bytes is longer than the plan's format holds.");
        _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        (_end, _start) = (_end - _start, 0);
        _end += await stream.ReadAtLeastAsync(_buffer.AsMemory(_end), count - _end, throwOnEndOfStream: true, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
