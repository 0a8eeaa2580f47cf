namespace ScenarioKit.Storage;

/// <summary>
/// A conversation's durable row. <see cref="Version"/> is the optimistic-concurrency counter: a write
/// succeeds only if the stored version is still the one the turn read, so several server nodes can
/// share one database without losing turns. <see cref="LastSeq"/> is the sequence number of the newest
/// logged activity (the Direct Line watermark).
/// </summary>
public sealed record ConversationRecord(
    string Key,
    string ConversationId,
    string ChannelId,
    string ScenarioId,
    string ScenarioVersion,
    string? UserId,
    ReadOnlyMemory<byte> State,
    long Version,
    long LastSeq,
    bool Started,
    bool WithAgent,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc);

/// <summary>One logged activity (transcript and Direct Line log are the same list), as its UTF-8 JSON.</summary>
public sealed record StoredActivity(long Seq, string Type, ReadOnlyMemory<byte> Json);

/// <summary>
/// Everything one turn changes, written atomically: the new row (with <c>Version = ExpectedVersion + 1</c>)
/// and the activities appended to the log. <see cref="ExpectedVersion"/> 0 means "the conversation is new".
/// </summary>
public sealed record TurnWrite(ConversationRecord Conversation, long ExpectedVersion, IReadOnlyList<StoredActivity> Activities)
{
    /// <summary>The turn's compact record for the long-term turn log, filed under the conversation's key (null when the write is not a turn, e.g. a start without input).</summary>
    public TurnLogEntry? Turn { get; init; }
}

/// <summary>
/// One turn in the long-term turn log: who said what and what the bot did with it, compact (a few hundred bytes),
/// kept for transcripts and analytics after the full activity JSON has expired. <see cref="Turn"/> is the
/// conversation's version after the turn (unique and increasing per conversation); <see cref="Json"/> is a
/// <see cref="TurnSummary"/> as UTF-8 JSON (<see cref="TurnSummary.ToUtf8Json"/>).
/// </summary>
public sealed record TurnLogEntry(string Key, long Turn, DateTimeOffset AtUtc, string ScenarioId, string ScenarioVersion, ReadOnlyMemory<byte> Json);

/// <summary>Which turns to read from the turn log; null fields do not filter. <see cref="ToUtc"/> is exclusive.</summary>
public sealed record TurnLogQuery(string? ScenarioId = null, string? ScenarioVersion = null, DateTimeOffset? FromUtc = null, DateTimeOffset? ToUtc = null);

/// <summary>The long-term turn log, read back for analytics (streamed: a report over millions of turns never holds them all).</summary>
public interface ITurnLog
{
    /// <summary>Matching turns ordered by conversation key, then turn: one conversation's turns arrive together, oldest first.</summary>
    IAsyncEnumerable<TurnLogEntry> ReadTurnsAsync(TurnLogQuery query, CancellationToken cancellationToken);
}

/// <summary>Another writer changed the conversation since it was read; reload and run the turn again.</summary>
public sealed class ConcurrencyConflictException(string key)
    : Exception($"Conversation '{key}' was changed by another writer.")
{
    public string Key { get; } = key;
}

/// <summary>
/// Durable conversation storage. <see cref="SaveAsync"/> completes only once the turn is durable: the
/// server acknowledges a turn after it returns.
/// </summary>
public interface IConversationStore
{
    Task<ConversationRecord?> GetAsync(string key, CancellationToken cancellationToken);

    /// <exception cref="ConcurrencyConflictException">The stored version is not <see cref="TurnWrite.ExpectedVersion"/>.</exception>
    Task SaveAsync(TurnWrite write, CancellationToken cancellationToken);

    /// <summary>Logged activities with <c>seq &gt; afterSeq</c>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Conversations updated since <paramref name="sinceUtc"/>, newest first (only those with a human agent when <paramref name="withAgentOnly"/>).</summary>
    Task<IReadOnlyList<ConversationRecord>> ListActiveAsync(DateTimeOffset sinceUtc, bool withAgentOnly, int limit, CancellationToken cancellationToken);

    /// <summary>Whether the store answers (for /readyz).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

/// <summary>Keeps every deployed package version so conversations can finish on the version they started on, even after a restart.</summary>
public interface IPackageArchive
{
    Task SavePackageAsync(string scenarioId, string version, string contentHash, byte[] package, CancellationToken cancellationToken);

    Task<byte[]?> GetPackageAsync(string scenarioId, string version, CancellationToken cancellationToken);
}

/// <summary>What one expiry pass deleted.</summary>
public sealed record RetentionResult(long Conversations, long Activities, long Turns);

/// <summary>Expiry of stored conversations (retention settings, <c>scenariokit purge</c>).</summary>
public interface IStoreRetention
{
    /// <summary>
    /// Deletes the full activity JSON of conversations idle since before <paramref name="activitiesBeforeUtc"/> (their row
    /// and turn log stay, so transcripts and analytics keep them), and the turn-log rows older than
    /// <paramref name="turnsBeforeUtc"/> together with the conversations idle since before it. Works in small batches so
    /// turns being saved meanwhile are not stalled.
    /// </summary>
    Task<RetentionResult> ExpireAsync(DateTimeOffset activitiesBeforeUtc, DateTimeOffset turnsBeforeUtc, CancellationToken cancellationToken);
}

/// <summary>
/// A store several server nodes share announces every turn any node commits, so a Direct Line stream on one node hears
/// turns another node ran without polling (PostgreSQL: LISTEN/NOTIFY). The SQLite store serves one node and has none.
/// </summary>
public interface IConversationChanges
{
    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> fires, calling <paramref name="committed"/> with the conversation
    /// key and its newest activity seq for each committed turn (this node's included). After a lost connection it
    /// reconnects and calls <paramref name="committed"/> with a null key: announcements may have been missed, so every
    /// reader should look again.
    /// </summary>
    Task ListenAsync(Action<string?, long> committed, CancellationToken cancellationToken);
}
