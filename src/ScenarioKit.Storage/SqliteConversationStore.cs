using System.Buffers;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

/// <summary>
/// SQLite store: one file in WAL mode. Reads use pooled connections (WAL lets them run beside the writer).
/// All writes go through one connection in a background loop that commits every waiting turn in a single
/// transaction (group commit): SQLite allows one writer at a time anyway, and batching turns the per-commit
/// cost into a per-batch cost under load while a lone turn still commits at once.
/// </summary>
public sealed partial class SqliteConversationStore : IConversationStore, IPackageArchive, ITurnLog, IStoreRetention, IAsyncDisposable
{
    const int MaxBatch = 256;

    /// <summary>Work items that answer one committed batch's turns (<see cref="TurnAnswers"/>).</summary>
    static readonly int AnswerItems = Environment.ProcessorCount;

    readonly string _connectionString;
    // The writer is a thread of its own, not a thread-pool loop: under load the pool's queue is long, and a loop that
    // waits in it for every batch delays every turn waiting for that batch (docs/performance.md, "Server").
    readonly WriterQueue<WriterItem> _writes = new();
    readonly SqliteConnection _writer;
    readonly TurnStatements _statements;
    readonly WalCheckpointer _checkpointer;
    readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the writer thread stopped before the store was disposed; null while it runs.</summary>
    volatile Exception? _writerError;
    int _closing;

    public SqliteConversationStore(string path, bool fullSync = true)
        : this(path, fullSync, WalCheckpointer.DefaultRestartFrames)
    {
    }

    /// <param name="walRestartFrames">The WAL's length (4 KiB frames) at which the writer restarts it under load (<see cref="WalCheckpointer"/>); short in tests.</param>
    internal SqliteConversationStore(string path, bool fullSync, int walRestartFrames, long keyCapacity = FileKeys.DefaultCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        UsesWalWriteVfs = fullSync && WalWriteVfs.Available;
        _writer = new SqliteConnection(WriterConnectionString());
        try
        {
            _writer.Open();
            // synchronous=FULL: a commit is on disk before the turn is acknowledged, even across power loss.
            // NORMAL (opt-in) survives process crashes but may lose the newest turns on power loss.
            Execute(_writer, null, $"""
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous={(fullSync ? "FULL" : "NORMAL")};
                PRAGMA busy_timeout=5000;
                """);
            EnsureLayout(_writer);
            // Prepared here, not on the writer thread: a file the statements do not fit fails the open, not every later turn.
            _statements = new TurnStatements(_writer);
            _checkpointer = new WalCheckpointer(_writer, _connectionString, walRestartFrames);
        }
        catch
        {
            _statements?.Dispose();
            _writer.Dispose();
            throw;
        }
        _keys = FileKeys.Acquire(Path, _connectionString, keyCapacity);
        new Thread(RunWriter) { IsBackground = true, Name = "ScenarioKit SQLite writer" }.Start();
    }

    public string Path { get; }

    /// <summary>Whether the writer's WAL writes go through <see cref="WalWriteVfs"/> (<c>synchronous=FULL</c>, not Windows).</summary>
    internal bool UsesWalWriteVfs { get; }

    /// <summary>
    /// The writer's own: not pooled (disposing it closes the file), and with <c>synchronous=FULL</c> opened through
    /// <see cref="WalWriteVfs"/>, which writes a commit's WAL frames in one system call per 124 KiB instead of two per
    /// frame.
    /// </summary>
    string WriterConnectionString() => new SqliteConnectionStringBuilder(_connectionString)
    {
        DataSource = UsesWalWriteVfs ? WalWriteVfs.Uri(Path) : Path,
        Pooling = false,
    }.ToString();

    const string RecordColumns = """
        k.key, c.conversation_id, c.channel_id, c.scenario_id, c.scenario_version, c.user_id, c.state, c.version, c.last_seq,
        c.started, c.with_agent, c.created_utc, c.updated_utc
        """;

    public Task<ConversationRecord?> GetAsync(string key, CancellationToken cancellationToken) =>
        MayHoldKey(key) ? ReadAsync(key, static (reader, key) => reader.Record(key), cancellationToken) : NoRecord;

    public async Task<IReadOnlyList<ConversationRecord>> ListActiveAsync(DateTimeOffset sinceUtc, bool withAgentOnly, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RecordColumns} FROM conversations c JOIN conversation_keys k ON k.id = c.id
            WHERE c.updated_utc >= $since AND ($agent = 0 OR c.with_agent = 1)
            ORDER BY c.updated_utc DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$since", sinceUtc.UtcTicks);
        command.Parameters.AddWithValue("$agent", withAgentOnly ? 1 : 0);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<ConversationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadRecord(reader));
        return list;
    }

    static ConversationRecord ReadRecord(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        (byte[])reader.GetValue(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.GetInt64(9) != 0,
        reader.GetInt64(10) != 0,
        Utc(reader.GetInt64(11)),
        Utc(reader.GetInt64(12)));

    static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    public Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken cancellationToken) =>
        !MayHoldKey(key) ? NoActivities : ReadAsync<(string Key, long After, int Limit), IReadOnlyList<StoredActivity>>(
            (key, afterSeq, limit), static (reader, q) => reader.Activities(q.Key, q.After, q.Limit), cancellationToken);

    public async IAsyncEnumerable<TurnLogEntry> ReadTurnsAsync(TurnLogQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT k.key, t.turn, t.at_utc, t.scenario_id, t.scenario_version, t.json
            FROM conversation_keys k JOIN turns t ON t.conversation = k.id
            WHERE ($scenario IS NULL OR t.scenario_id = $scenario) AND ($version IS NULL OR t.scenario_version = $version)
              AND ($from IS NULL OR t.at_utc >= $from) AND ($to IS NULL OR t.at_utc < $to)
            ORDER BY k.key, t.turn
            """;
        command.Parameters.AddWithValue("$scenario", (object?)query.ScenarioId ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", (object?)query.ScenarioVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", query.FromUtc is { } from ? from.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$to", query.ToUtc is { } to ? to.UtcTicks : DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new TurnLogEntry(
                reader.GetString(0), reader.GetInt64(1), Utc(reader.GetInt64(2)),
                reader.GetString(3), reader.GetString(4), (byte[])reader.GetValue(5));
        }
    }

    public Task SaveAsync(TurnWrite write, CancellationToken cancellationToken)
    {
        if (write.Conversation.Version != write.ExpectedVersion + 1)
            throw new ArgumentException("The new version must be ExpectedVersion + 1.", nameof(write));
        if (write.Turn is { } turn && turn.Key != write.Conversation.Key)
            throw new ArgumentException("The turn-log entry must be filed under the conversation's key.", nameof(write));
        // A packed row is found by its last activity's seq (ReadActivitiesAsync), so the seqs must ascend.
        for (var i = 1; i < write.Activities.Count; i++)
        {
            if (write.Activities[i].Seq <= write.Activities[i - 1].Seq)
                throw new ArgumentException("The activities' seqs must ascend.", nameof(write));
        }
        // Packed here, on the caller's thread: the writer is serial, so every microsecond taken off it counts. Into a
        // pooled buffer, given back once the writer has bound it (SQLite copies a bound blob): a turn's activities were
        // the largest allocation of a turn after their own JSON (docs/performance.md, "Session 9").
        PendingWrite pending;
        if (write.Activities.Count == 0) pending = new PendingWrite(write, null, 0);
        else
        {
            var size = PackedActivities.Size(write.Activities);
            var packed = ArrayPool<byte>.Shared.Rent(size);
            PackedActivities.Write(write.Activities, packed);
            pending = new PendingWrite(write, packed, size);
        }
        Enqueue(pending);
        // The turn is not cancelled halfway: once queued, the write completes or fails as a whole.
        return pending.Completion.Task;
    }

    public async Task SavePackageAsync(string scenarioId, string version, string contentHash, byte[] package, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO packages (scenario_id, version, content_hash, package) VALUES ($id, $version, $hash, $package)
            ON CONFLICT (scenario_id, version) DO UPDATE SET content_hash = excluded.content_hash, package = excluded.package
            WHERE content_hash <> excluded.content_hash
            """;
        command.Parameters.AddWithValue("$id", scenarioId);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$hash", contentHash);
        command.Parameters.AddWithValue("$package", package);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetPackageAsync(string scenarioId, string version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT package FROM packages WHERE scenario_id = $id AND version = $version";
        command.Parameters.AddWithValue("$id", scenarioId);
        command.Parameters.AddWithValue("$version", version);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        if (_writerError is not null) return false;
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    void Enqueue(WriterItem item)
    {
        try
        {
            _writes.Add(item);
        }
        catch (InvalidOperationException)
        {
            if (_writerError is { } error)
                throw new InvalidOperationException($"The SQLite writer of {Path} has stopped: {error.Message}", error);
            throw new ObjectDisposedException(nameof(SqliteConversationStore));
        }
    }

    void RunWriter()
    {
        try
        {
            WriteLoop();
            _writerDone.TrySetResult();
        }
        catch (Exception e)
        {
            // No write may wait for a writer that is gone: refuse new ones, fail the queued ones.
            _writerError = e;
            _writes.Complete();
            while (_writes.TryTake(out var item)) item.Fail(e);
            _writerDone.TrySetException(e);
        }
        finally
        {
            _statements.Dispose();
        }
    }

    void WriteLoop()
    {
        var statements = _statements;
        var batch = new List<PendingWrite>(MaxBatch);
        var steps = new List<WriterStep>();
        while (_writes.Take(out var first))
        {
            batch.Clear();
            steps.Clear();
            for (var item = first; item is not null; item = batch.Count < MaxBatch && _writes.TryTake(out var next) ? next : null)
            {
                if (item is PendingWrite turn) batch.Add(turn);
                else steps.Add((WriterStep)item);
            }
            try
            {
                statements.Begin();
                for (var i = 0; i < batch.Count; i++)
                {
                    var updated = batch[i].Write.Conversation.UpdatedUtc.UtcTicks;
                    if (updated < _activitiesExpiredBefore) _activitiesExpiredBefore = updated;
                    if (batch[i].Write.ExpectedVersion == 0) _keys.Add(batch[i].Write.Conversation.Key);
                    // INVARIANT: a conflicting turn writes nothing, so the rest of the batch can still commit.
                    if (!statements.Write(batch[i].Write, batch[i].Packed))
                        batch[i].Error = new ConcurrencyConflictException(batch[i].Write.Conversation.Key);
                }
                // Expiry steps share the batch's commit (and its fsync); each in a savepoint, so a failing one undoes only itself.
                foreach (var step in steps) step.Run(_writer);
                statements.Commit();
            }
            catch (Exception e)
            {
                statements.RollBackIfOpen();
                foreach (var p in batch) p.Error = e;
                foreach (var step in steps) step.Fail(e);
                TurnAnswers.Queue([.. batch], AnswerItems);
                continue;
            }
            foreach (var step in steps) step.Complete();
            TurnAnswers.Queue([.. batch], AnswerItems);
            // After the turns' answers are queued: a checkpoint the writer runs itself (rarely) does not delay them.
            _checkpointer.Committed(_writer, batch.Count + steps.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the container disposes the store once per service type it is registered as.
        if (Interlocked.Exchange(ref _closing, 1) == 0) await _keys.ReleaseAsync().ConfigureAwait(false);
        _writes.Complete();
        // A writer that stopped on an error has already failed every write; disposing still releases the file.
        await _writerDone.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _checkpointer.Dispose();
        DisposeReaders();
        await _writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    /// <summary>What the writer thread takes from its queue: a turn to save (<see cref="PendingWrite"/>) or an expiry step.</summary>
    abstract class WriterItem
    {
        /// <summary>Ends the item's wait with <paramref name="error"/>: it was not written.</summary>
        public abstract void Fail(Exception error);
    }
}
