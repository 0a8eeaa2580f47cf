using System.Collections.Concurrent;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Conversations;

/// <summary>
/// The last row this node saved per conversation, so a turn usually skips the read, and with it, while they fit, the
/// conversation's logged activities from its first, so a handoff's transcript usually skips reading the log back
/// (docs/performance.md, "Session 12"). Only ever holds what was durably saved.
/// Bounded twice: past <c>capacity</c> rows an arbitrary tenth is dropped, and past <c>logBudgetBytes</c> of activity JSON
/// the logs of the conversations saved longest ago are dropped (their rows stay). A dropped entry or log only costs a read
/// from the store. The budget is small on purpose: a log is worth holding for a conversation that is going on, and every
/// log held past a collection is promoted, so a large budget lengthened the collector's pauses (docs/performance.md).
/// </summary>
internal sealed class RecentConversations(int capacity, long logBudgetBytes = RecentConversations.DefaultLogBudgetBytes)
{
    public const long DefaultLogBudgetBytes = 4 << 20;

    /// <summary>A log longer than this is not kept: the transcript reads at most this many activities from the store.</summary>
    public const int MaxLogActivities = 2000;

    /// <summary>A conversation's log is not kept past this many bytes of JSON (so one long conversation cannot crowd out the rest).</summary>
    public const int MaxLogBytes = 256 << 10;

    // A class, not a record: the map's TryUpdate compares entries, and only the same entry may be replaced.
    sealed class Entry(ConversationRecord record, StoredActivity[]? log, long logBytes)
    {
        public ConversationRecord Record { get; } = record;
        public StoredActivity[]? Log { get; } = log;
        public long LogBytes { get; } = logBytes;
    }

    readonly ConcurrentDictionary<string, Entry> _rows = new(StringComparer.Ordinal);
    // Counted here because ConcurrentDictionary.Count takes every lock of the map: once per turn, that was a
    // contended point of every request (docs/performance.md, "Issue 14"). Approximate under races, which a bound
    // tolerates.
    int _count;
    long _logBytes;
    int _trimmingLogs;
    // The conversations whose logs were saved, oldest first, by key and row version (not the entries: a queued entry
    // would keep a replaced log alive). Stale items are skipped when dequeued; their number is bounded by the capacity.
    readonly ConcurrentQueue<(string Key, long Version)> _logOrder = new();
    int _queued;

    /// <summary>How many rows are held now (for tests; this one does take the map's locks).</summary>
    internal int Count => _rows.Count;

    /// <summary>How many places the order of logs holds now, stale ones included (for tests).</summary>
    internal int QueuedLogs => Volatile.Read(ref _queued);

    /// <summary>The bytes of activity JSON the logs hold now.</summary>
    internal long LogBytes => Interlocked.Read(ref _logBytes);

    public ConversationRecord? Get(string key) => Get(key, out _);

    /// <summary>
    /// <see cref="Get"/> and <see cref="LogOf"/> in one lookup (a turn's): the row, and the log held with that very row
    /// (null when none is held).
    /// </summary>
    public ConversationRecord? Get(string key, out StoredActivity[]? log)
    {
        if (_rows.TryGetValue(key, out var entry))
        {
            log = entry.Log;
            return entry.Record;
        }
        log = null;
        return null;
    }

    /// <summary>
    /// The logged activities of the conversation whose row is <paramref name="record"/> (this very object, as
    /// <see cref="Get"/> gave it), complete from its first up to <see cref="ConversationRecord.LastSeq"/>; null when
    /// this node does not hold them.
    /// </summary>
    public StoredActivity[]? LogOf(ConversationRecord record) =>
        ReferenceEquals(Get(record.Key, out var log), record) ? log : null;

    public void Forget(string key)
    {
        if (!_rows.TryRemove(key, out var entry)) return;
        Interlocked.Decrement(ref _count);
        if (entry.LogBytes != 0) Interlocked.Add(ref _logBytes, -entry.LogBytes);
    }

    /// <param name="log">The conversation's activities, complete from its first up to the row's last seq; null when unknown.</param>
    public void Set(ConversationRecord row, StoredActivity[]? log = null)
    {
        long bytes = 0;
        if (log is not null)
        {
            // Summed only for a log short enough to keep, and only as far as the byte bound.
            if (log.Length <= MaxLogActivities)
            {
                foreach (var a in log)
                {
                    if ((bytes += a.Json.Length) > MaxLogBytes) break;
                }
            }
            if (log.Length > MaxLogActivities || bytes > MaxLogBytes)
            {
                log = null;
                bytes = 0;
            }
        }
        var entry = new Entry(row, log, bytes);
        while (true)
        {
            if (_rows.TryGetValue(row.Key, out var old))
            {
                if (!_rows.TryUpdate(row.Key, entry, old)) continue;
                Interlocked.Add(ref _logBytes, bytes - old.LogBytes);
                break;
            }
            if (!_rows.TryAdd(row.Key, entry)) continue;
            Interlocked.Add(ref _logBytes, bytes);
            if (Interlocked.Increment(ref _count) > capacity) Trim();
            break;
        }
        if (bytes == 0) return;
        _logOrder.Enqueue((row.Key, row.Version));
        if (Interlocked.Increment(ref _queued) > capacity || Interlocked.Read(ref _logBytes) > logBudgetBytes) TrimLogs();
    }

    void Trim()
    {
        // Enumerating the map takes no lock (its Keys property would take them all).
        var dropped = 0;
        foreach (var (key, _) in _rows)
        {
            if (dropped++ >= capacity / 10) break;
            Forget(key);
        }
    }

    /// <summary>Drops the oldest logs (keeping the rows) until a quarter of the budget is free; one thread at a time.</summary>
    void TrimLogs()
    {
        if (Interlocked.Exchange(ref _trimmingLogs, 1) == 1) return;
        try
        {
            var target = logBudgetBytes / 4 * 3;
            while ((Interlocked.Read(ref _logBytes) > target || Volatile.Read(ref _queued) > capacity) && _logOrder.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref _queued);
                // Only the log saved with that version: a newer one has its own place further on.
                if (_rows.TryGetValue(item.Key, out var entry) && entry.Log is not null && entry.Record.Version == item.Version
                    && _rows.TryUpdate(item.Key, new Entry(entry.Record, null, 0), entry))
                {
                    Interlocked.Add(ref _logBytes, -entry.LogBytes);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _trimmingLogs, 0);
        }
    }
}
