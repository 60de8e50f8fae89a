using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace ProjectExports.Storage;

/// <summary>Turns one row (its RowKey and stored model JSON) into an item, or null to leave the row out.</summary>
public delegate T? TableRowDecoder<T>(string rowKey, ReadOnlySpan<byte> json) where T : class;

/// <summary>Receives one stored row of a query: its RowKey, ETag and the JSON <see cref="JsonEntityCodec"/> stored.</summary>
public delegate void StoredRowCallback(string rowKey, ETag etag, ReadOnlySpan<byte> json);

/// <summary>
/// Reads the rows of a query as they arrive, page after page, without the Tables client building entities: each row
/// is decoded straight from the response into the caller's model, and the decoded items are delivered in small
/// batches, so a slow consumer holds back the network (<see cref="StreamedTableReadsPolicy"/> does the hand-over).
/// Pages (<see cref="RowPageCodec"/>) are read as the rows they hold: each row is decoded with its own key, and a page's
/// rows wait until the next page's key shows which of them are in its range (see <see cref="RowPagePlanner"/>).
/// </summary>
public static class TableRowReader
{
    /// <param name="deliver">Receives the items decoded from each read of the network, in the table's order; it must
    /// not keep the list, which is reused.</param>
    public static Task ReadAsync<T>(
        TableClient table, string filter, TableRowDecoder<T> decode, Func<List<T>, CancellationToken, ValueTask> deliver,
        CancellationToken cancellationToken) where T : class =>
        ReadAsync(table, filter, decode, deliver, null, cancellationToken);

    /// <param name="onPage">Told each page's key and ETag as it is read, so a writer can start from this read's listing.</param>
    /// <inheritdoc cref="ReadAsync{T}(TableClient, string, TableRowDecoder{T}, Func{List{T}, CancellationToken, ValueTask}, CancellationToken)"/>
    public static async Task ReadAsync<T>(
        TableClient table, string filter, TableRowDecoder<T> decode, Func<List<T>, CancellationToken, ValueTask> deliver,
        Action<string, ETag>? onPage, CancellationToken cancellationToken) where T : class
    {
        var sink = new Sink<T>(decode, deliver, onPage);
        using var scope = HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [StreamedTableReadsPolicy.SinkProperty] = sink });
        await QueryAsync(table, filter, cancellationToken).ConfigureAwait(false);
        await sink.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands each stored row of a query to <paramref name="onRow"/> with its ETag, pages as they are stored (not read as
    /// the rows they hold): for writers, which must rewrite a row only if it is still as read.
    /// </summary>
    public static async Task ReadStoredAsync(TableClient table, string filter, StoredRowCallback onRow, CancellationToken cancellationToken)
    {
        using var scope = HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [StreamedTableReadsPolicy.SinkProperty] = new StoredSink(onRow) });
        await QueryAsync(table, filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the query page by page; the sink in scope has read each page's rows, so the client returns none.</summary>
    private static async Task QueryAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        await foreach (var page in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
        {
            if (page.Values.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The table client returned entities itself: build it with {nameof(StorageClients)}.{nameof(StorageClients.TableOptions)}, which streams rows.");
            }
        }
    }

    private sealed class StoredSink(StoredRowCallback onRow) : ITableQueryBodySink
    {
        public async Task ReadAsync(Stream body, CancellationToken cancellationToken)
        {
            using var reader = new TableQueryBodyReader(body);
            await reader.ReadAsync((rowKey, json) => onRow(rowKey, reader.ETag is { } etag ? new ETag(etag) : default, json),
                static _ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Sink<T>(TableRowDecoder<T> decode, Func<List<T>, CancellationToken, ValueTask> deliver, Action<string, ETag>? onPage) : ITableQueryBodySink
        where T : class
    {
        private readonly List<T> _batch = [];
        private readonly List<(string Key, T Item)> _page = [];

        public async Task ReadAsync(Stream body, CancellationToken cancellationToken)
        {
            using var reader = new TableQueryBodyReader(body);
            await reader.ReadAsync((rowKey, json) => Add(rowKey, json, reader.ETag), DeliverAsync, cancellationToken).ConfigureAwait(false);
        }

        private void Add(string rowKey, ReadOnlySpan<byte> json, string? etag)
        {
            if (!RowPageCodec.IsPageKey(rowKey))
            {
                ClosePage(null);
                if (decode(rowKey, json) is { } item) _batch.Add(item);
                return;
            }
            onPage?.Invoke(rowKey, etag is null ? default : new ETag(etag));
            var lowerBound = RowPageCodec.LowerBoundOf(rowKey);
            ClosePage(lowerBound);
            RowPageCodec.Decode(rowKey, json, (key, row) =>
            {
                if (string.CompareOrdinal(key, lowerBound) >= 0 && decode(key, row) is { } item) _page.Add((key, item));
            });
        }

        /// <summary>Moves the open page's rows below <paramref name="nextLowerBound"/> (all when null) to the batch.</summary>
        private void ClosePage(string? nextLowerBound)
        {
            foreach (var (key, item) in _page)
            {
                if (nextLowerBound is not null && string.CompareOrdinal(key, nextLowerBound) >= 0) break;
                _batch.Add(item);
            }
            _page.Clear();
        }

        public async ValueTask FinishAsync(CancellationToken cancellationToken)
        {
            ClosePage(null);
            await DeliverAsync(cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask DeliverAsync(CancellationToken cancellationToken)
        {
            if (_batch.Count > 0)
            {
                await deliver(_batch, cancellationToken).ConfigureAwait(false);
                _batch.Clear();
            }
        }
    }
}
