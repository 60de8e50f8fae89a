using Azure;
using Azure.Data.Tables;

namespace ProjectExports.Storage;

/// <summary>
/// The logical rows of one partition, kept in pages (<see cref="RowPageCodec"/>): reads by key, and writes that
/// rewrite only the pages holding changed rows, in transactions whose every page must still be as read. A writer that
/// loses a race reads again and merges its rows into what the other wrote, so concurrent writers of different rows
/// both land, and writing the same rows again converges. Rounds of a write wait for room in <paramref name="budget"/>
/// when one is given, shared by the partitions written at once.
/// </summary>
public sealed class PagedPartition(TableClient table, string partitionKey, WriteBudget? budget = null)
{
    public string PartitionKey => partitionKey;

    /// <summary>Up to this many keys (for reads) or pages (for writes) are read one by one after a listing of page keys.</summary>
    public const int PointReadKeys = 8;

    /// <summary>How many times a write reads and merges again after other writers changed its pages.</summary>
    public const int MaxAttempts = 10;

    private string PagesFilter => TableClient.CreateQueryFilter(
        $"PartitionKey eq {partitionKey} and RowKey ge {RowPageCodec.HeadKey} and RowKey lt {((char)(RowPageCodec.KeyMark + 1)).ToString()}");

    /// <summary>
    /// The JSON of each of <paramref name="keys"/> that has a row (all rows when null). A few keys take point reads of
    /// the pages covering them; more take one streamed read of the partition (<see cref="TableRowReader"/>, so the table
    /// client must be built with <see cref="StorageClients.TableOptions"/>), which keeps only the rows asked for.
    /// </summary>
    public async Task<Dictionary<string, byte[]>> ReadAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken) =>
        (await ReadListedAsync(keys, cancellationToken).ConfigureAwait(false)).Rows;

    /// <summary>
    /// As <see cref="ReadAsync"/>, with the page keys and ETags the read saw, for a write of the same rows to start from
    /// (<see cref="WriteAsync(IReadOnlyDictionary{string, byte[]}, PageListing?, CancellationToken)"/>) instead of listing again.
    /// </summary>
    public async Task<(Dictionary<string, byte[]> Rows, PageListing Listing)> ReadListedAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (keys is { Count: > 0 and <= PointReadKeys } && await ReadCoveringPagesAsync(keys, null, cancellationToken).ConfigureAwait(false) is { } read)
        {
            var (listing, pages) = read;
            var pageKeys = listing.Keys;
            for (var i = 0; i < pageKeys.Count; i++)
            {
                if (!pages.TryGetValue(pageKeys[i], out var page)) continue;
                var next = i + 1 < pageKeys.Count ? pageKeys[i + 1] : null;
                foreach (var (key, json) in page.Rows)
                {
                    if (RowPagePlanner.InRange(key, page.Key, next) && keys.Contains(key)) rows[key] = json;
                }
            }
            return (rows, listing);
        }
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        await TableRowReader.ReadAsync(table, PagesFilter, (key, json) => keys is null || keys.Contains(key) ? new StoredRow(key, json.ToArray()) : null,
            (batch, _) =>
            {
                foreach (var row in batch) rows[row.Key] = row.Json;
                return ValueTask.CompletedTask;
            }, (pageKey, etag) => etags[pageKey] = etag, cancellationToken).ConfigureAwait(false);
        return (rows, new PageListing(etags));
    }

    private sealed record StoredRow(string Key, byte[] Json);

    /// <summary>
    /// Upserts (JSON) and deletes (null) logical rows; its receipt says how many transactions it took and where it left
    /// each row (<see cref="ConfirmAsync"/>). Rows go in rounds of at most <see cref="RoundBytes"/>, in key order, and
    /// each page's rewrite (its new pieces and itself) goes in one transaction, landing whole or not at all: a writer
    /// racing on the same page then fails its ETag check instead of writing over half of a split. A round whose rows
    /// would make one page's rewrite larger than a transaction holds is written in halves, each planned again.
    /// </summary>
    public Task<PagedWriteReceipt> WriteAsync(IReadOnlyDictionary<string, byte[]?> changes, CancellationToken cancellationToken) =>
        WriteAsync(changes, null, cancellationToken);

    /// <param name="listed">A listing of this partition's pages from a read moments before (<see cref="ReadListedAsync"/>):
    /// the first round starts from it instead of listing again.</param>
    /// <inheritdoc cref="WriteAsync(IReadOnlyDictionary{string, byte[]}, CancellationToken)"/>
    public async Task<PagedWriteReceipt> WriteAsync(IReadOnlyDictionary<string, byte[]?> changes, PageListing? listed, CancellationToken cancellationToken)
    {
        var receipt = new PagedWriteReceipt();
        KnownPages? known = null;
        foreach (var (round, bytes) in Rounds(changes))
        {
            using (budget is null ? null : await budget.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false))
            {
                known = await WriteRoundAsync(round, receipt, known, listed, cancellationToken).ConfigureAwait(false);
            }
            listed = null; // later rounds go on from what the last one wrote
        }
        return receipt;
    }

    /// <summary>
    /// The rows of <paramref name="receipt"/> that storage still holds as the write left them: their page is still the
    /// one covering them, at the ETag the write left it with. One listing of page keys, no page read; a row another
    /// writer's page rewrite touched since is left out, for the caller to read.
    /// </summary>
    public async Task<HashSet<string>> ConfirmAsync(PagedWriteReceipt receipt, CancellationToken cancellationToken)
    {
        var listed = await ListPagesAsync(cancellationToken).ConfigureAwait(false);
        return receipt.Placements
            .Where(p => RowPagePlanner.Covering(listed.Keys, p.Key) == p.Value.PageKey && listed.ETagOf(p.Value.PageKey) == p.Value.ETag)
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The JSON one round writes at most: with a page of its target size (where a round lands at a partition's end, as
    /// an import's new rows do), as much as one transaction holds as base64, leaving 64 KiB for its entities' framing.
    /// A round that lands in a larger page is halved.
    /// </summary>
    public const int RoundBytes = (int)((TableTransactions.MaxPayloadBytes - 64 * 1024) * 3 / 4) - RowPageCodec.TargetBytes;

    /// <returns>Each round's rows, with their bytes in a page.</returns>
    private static IEnumerable<(List<KeyValuePair<string, byte[]?>> Rows, long Bytes)> Rounds(IReadOnlyDictionary<string, byte[]?> changes)
    {
        var round = new List<KeyValuePair<string, byte[]?>>();
        long bytes = 0;
        foreach (var change in changes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var size = RowPageCodec.EntryBytes(change.Key, change.Value?.Length ?? 0);
            if (round.Count > 0 && bytes + size > RoundBytes)
            {
                yield return (round, bytes);
                round = [];
                bytes = 0;
            }
            round.Add(change);
            bytes += size;
        }
        if (round.Count > 0) yield return (round, bytes);
    }

    /// <param name="listed">A listing to start from, on the first attempt only: after a lost race it is out of date.</param>
    private async Task<KnownPages> WriteRoundAsync(
        List<KeyValuePair<string, byte[]?>> changes, PagedWriteReceipt receipt, KnownPages? known, PageListing? listed, CancellationToken cancellationToken)
    {
        var keys = changes.ConvertAll(c => c.Key);
        for (var attempt = 1; ; attempt++)
        {
            var (pageKeys, pages) = attempt == 1 && known?.Covering(keys) is { } carried
                ? carried
                : await ReadPagesAsync(keys, attempt == 1 ? listed : null, cancellationToken).ConfigureAwait(false);
            var writes = RowPagePlanner.Plan(pageKeys, pages, changes);
            if (Transactions(writes) is not { } transactions)
            {
                // Nothing of this round is written yet: its halves, in key order, each fit or are halved again. One row
                // always fits with its page (each at most a page's 960 KiB), so the halving ends.
                if (changes.Count < 2)
                {
                    throw new InvalidOperationException($"Row {changes[0].Key} of partition {partitionKey} and its page are more than one transaction holds.");
                }
                var half = changes.Count / 2;
                var first = await WriteRoundAsync(changes[..half], receipt, known, attempt == 1 ? listed : null, cancellationToken).ConfigureAwait(false);
                return await WriteRoundAsync(changes[half..], receipt, first, null, cancellationToken).ConfigureAwait(false);
            }
            var written = new Dictionary<string, ETag?>(StringComparer.Ordinal);
            var deleted = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var transaction in transactions)
                {
                    var responses = (await table.SubmitTransactionAsync(transaction, cancellationToken).ConfigureAwait(false)).Value;
                    receipt.Transactions++;
                    for (var i = 0; i < transaction.Count; i++)
                    {
                        if (transaction[i].ActionType == TableTransactionActionType.Delete) deleted.Add(transaction[i].Entity.RowKey);
                        else written[transaction[i].Entity.RowKey] = responses[i].Headers.ETag;
                    }
                }
                var afterKeys = receipt.Record(keys, pageKeys, pages, written, deleted);
                return new KnownPages(
                    afterKeys,
                    pages.Where(p => !written.ContainsKey(p.Key) && !deleted.Contains(p.Key)).ToDictionary(StringComparer.Ordinal),
                    writes.Where(w => w.Json is not null && written.GetValueOrDefault(w.Key) is not null)
                        .ToDictionary(w => w.Key, w => (written[w.Key]!.Value, w.Json!), StringComparer.Ordinal));
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer changed a page since it was read: read again and merge into its version.
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                throw new InvalidOperationException(
                    $"Rows of partition {partitionKey} kept changing under {MaxAttempts} attempts to write them; nothing was lost, and the writes can be retried.", e);
            }
        }
    }

    /// <summary>
    /// Every page key, with the pages covering <paramref name="keys"/> (at least), as entities with their ETags, which
    /// the writes must match; the whole partition when the pages moved while being read.
    /// </summary>
    private async Task<(List<string> PageKeys, Dictionary<string, RowPage> Pages)> ReadPagesAsync(
        IReadOnlyCollection<string> keys, PageListing? listed, CancellationToken cancellationToken)
    {
        if (await ReadCoveringPagesAsync(keys, listed, cancellationToken).ConfigureAwait(false) is { } read)
        {
            return (read.Listing.Keys, read.Pages);
        }
        var all = await ReadStoredPagesAsync(PagesFilter, cancellationToken).ConfigureAwait(false);
        return (all.Keys.Order(StringComparer.Ordinal).ToList(), all);
    }

    /// <summary>
    /// Every page key (a listing of keys alone, unless <paramref name="listed"/> is given), with the pages covering
    /// <paramref name="keys"/>: read one by one when few, else with one query of the key range they span, so a round of
    /// a large write reads its own pages and not the partition. Null when a page's ETag moved between the listing and
    /// its read (it was rewritten, perhaps split).
    /// </summary>
    private async Task<(PageListing Listing, Dictionary<string, RowPage> Pages)?> ReadCoveringPagesAsync(
        IReadOnlyCollection<string> keys, PageListing? listed, CancellationToken cancellationToken)
    {
        listed ??= await ListPagesAsync(cancellationToken).ConfigureAwait(false);
        var pageKeys = listed.Keys;
        var covering = keys.Select(k => RowPagePlanner.Covering(pageKeys, k)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var pages = new Dictionary<string, RowPage>(StringComparer.Ordinal);
        if (covering.Count <= PointReadKeys)
        {
            foreach (var pageKey in covering)
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, pageKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!row.HasValue) return null;
                pages[pageKey] = PageOf(row.Value!);
            }
        }
        else
        {
            pages = await ReadStoredPagesAsync(
                TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {covering[0]} and RowKey le {covering[^1]}"), cancellationToken).ConfigureAwait(false);
        }
        return covering.All(k => pages.TryGetValue(k, out var page) && page.ETag == listed.ETagOf(k)) ? (listed, pages) : null;
    }

    /// <summary>Every page key with its ETag: a query of keys alone.</summary>
    private async Task<PageListing> ListPagesAsync(CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, ETag>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(PagesFilter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            listed[row.RowKey] = row.ETag;
        }
        return new PageListing(listed);
    }

    private static RowPage PageOf(TableEntity entity) =>
        new(entity.RowKey, entity.ETag, RowPageCodec.DecodeAll(entity.RowKey, JsonEntityCodec.JsonOf(entity)));

    /// <summary>Pages with their ETags, streamed from the response rather than built by the Tables client.</summary>
    private async Task<Dictionary<string, RowPage>> ReadStoredPagesAsync(string filter, CancellationToken cancellationToken)
    {
        var pages = new Dictionary<string, RowPage>(StringComparer.Ordinal);
        await TableRowReader.ReadStoredAsync(table, filter, (rowKey, etag, json) =>
        {
            if (RowPageCodec.IsPageKey(rowKey)) pages[rowKey] = new RowPage(rowKey, etag, RowPageCodec.DecodeAll(rowKey, json));
        }, cancellationToken).ConfigureAwait(false);
        return pages;
    }

    /// <summary>
    /// Transactions within <see cref="TableTransactions"/>' bounds, each page's writes (a group) in one of them; null
    /// when a group cannot fit in one (a page and its pieces too large together), for the round to be halved.
    /// </summary>
    private List<List<TableTransactionAction>>? Transactions(List<RowPageWrite> writes)
    {
        var transactions = new List<List<TableTransactionAction>>();
        var transaction = new List<TableTransactionAction>();
        long payload = 0;
        foreach (var group in writes.GroupBy(w => w.Group))
        {
            var actions = group.Select(Action).ToList();
            var groupPayload = actions.Sum(a => TableTransactions.PayloadBytes(a.Entity));
            if (actions.Count > TableTransactions.MaxOperations || groupPayload > TableTransactions.MaxPayloadBytes)
            {
                return null;
            }
            if (transaction.Count > 0 && (transaction.Count + actions.Count > TableTransactions.MaxOperations || payload + groupPayload > TableTransactions.MaxPayloadBytes))
            {
                transactions.Add(transaction);
                transaction = [];
                payload = 0;
            }
            transaction.AddRange(actions);
            payload += groupPayload;
        }
        if (transaction.Count > 0) transactions.Add(transaction);
        return transactions;
    }

    private TableTransactionAction Action(RowPageWrite write) => write.Kind switch
    {
        RowPageWriteKind.Add => new(TableTransactionActionType.Add, Entity(write)),
        RowPageWriteKind.Replace => new(TableTransactionActionType.UpdateReplace, Entity(write), write.ETag),
        _ => new(TableTransactionActionType.Delete, new TableEntity(partitionKey, write.Key), write.ETag),
    };

    private TableEntity Entity(RowPageWrite write) =>
        JsonEntityCodec.ToEntity(partitionKey, write.Key, write.Json!, $"page {write.Key} of partition {partitionKey}");
}
