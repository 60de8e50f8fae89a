using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace ProjectExports.Storage;

/// <summary>Turns one row (its RowKey and stored model JSON) into an item, or null to leave the row out.</summary>
public delegate T? TableRowDecoder<T>(string rowKey, ReadOnlySpan<byte> json) where T : class;

/// <summary>
/// Reads the rows of a query as they arrive, page after page, without the Tables client building entities: each row
/// is decoded straight from the response into the caller's model, and the decoded items are delivered in small
/// batches, so a slow consumer holds back the network (<see cref="StreamedTableReadsPolicy"/> does the hand-over).
/// </summary>
public static class TableRowReader
{
    /// <param name="deliver">Receives the items decoded from each read of the network, in the table's order; it must
    /// not keep the list, which is reused.</param>
    public static async Task ReadAsync<T>(
        TableClient table, string filter, TableRowDecoder<T> decode, Func<List<T>, CancellationToken, ValueTask> deliver,
        CancellationToken cancellationToken) where T : class
    {
        var sink = new Sink<T>(decode, deliver);
        using var scope = HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [StreamedTableReadsPolicy.SinkProperty] = sink });
        await foreach (var page in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
        {
            if (page.Values.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The table client returned entities itself: build it with {nameof(StorageClients)}.{nameof(StorageClients.TableOptions)}, which streams rows.");
            }
        }
    }

    private sealed class Sink<T>(TableRowDecoder<T> decode, Func<List<T>, CancellationToken, ValueTask> deliver) : ITableQueryBodySink
        where T : class
    {
        private readonly List<T> _batch = [];

        public async Task ReadAsync(Stream body, CancellationToken cancellationToken)
        {
            using var reader = new TableQueryBodyReader(body);
            await reader.ReadAsync(Add, DeliverAsync, cancellationToken).ConfigureAwait(false);
        }

        private void Add(string rowKey, ReadOnlySpan<byte> json)
        {
            if (decode(rowKey, json) is { } item)
            {
                _batch.Add(item);
            }
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
