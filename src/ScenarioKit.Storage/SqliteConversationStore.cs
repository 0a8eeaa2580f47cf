using System.Globalization;
using System.Collections.Concurrent;
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

    readonly string _connectionString;
    // The writer is a thread of its own, not a thread-pool loop: under load the pool's queue is long, and a loop that
    // waits in it for every batch delays every turn waiting for that batch (docs/performance.md, "Server").
    readonly BlockingCollection<WriterItem> _writes = new(new ConcurrentQueue<WriterItem>());
    readonly SqliteConnection _writer;
    readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SqliteConversationStore(string path, bool fullSync = true)
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

        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        // synchronous=FULL: a commit is on disk before the turn is acknowledged, even across power loss.
        // NORMAL (opt-in) survives process crashes but may lose the newest turns on power loss.
        Execute(_writer, $"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous={(fullSync ? "FULL" : "NORMAL")};
            PRAGMA busy_timeout=5000;
            CREATE TABLE IF NOT EXISTS conversations (
              key TEXT NOT NULL PRIMARY KEY,
              conversation_id TEXT NOT NULL,
              channel_id TEXT NOT NULL,
              scenario_id TEXT NOT NULL,
              scenario_version TEXT NOT NULL,
              user_id TEXT,
              state BLOB NOT NULL,
              version INTEGER NOT NULL,
              last_seq INTEGER NOT NULL,
              started INTEGER NOT NULL,
              with_agent INTEGER NOT NULL,
              created_utc TEXT NOT NULL,
              updated_utc TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS conversations_by_update ON conversations (updated_utc);
            CREATE TABLE IF NOT EXISTS activities (
              key TEXT NOT NULL,
              seq INTEGER NOT NULL,
              type TEXT NOT NULL,
              json BLOB NOT NULL,
              PRIMARY KEY (key, seq)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS turns (
              key TEXT NOT NULL,
              turn INTEGER NOT NULL,
              at_utc TEXT NOT NULL,
              scenario_id TEXT NOT NULL,
              scenario_version TEXT NOT NULL,
              json BLOB NOT NULL,
              PRIMARY KEY (key, turn)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS turns_by_time ON turns (at_utc);
            CREATE TABLE IF NOT EXISTS packages (
              scenario_id TEXT NOT NULL,
              version TEXT NOT NULL,
              content_hash TEXT NOT NULL,
              package BLOB NOT NULL,
              PRIMARY KEY (scenario_id, version)
            ) WITHOUT ROWID;
            """);
        new Thread(RunWriter) { IsBackground = true, Name = "ScenarioKit SQLite writer" }.Start();
    }

    public string Path { get; }

    const string RecordColumns = """
        key, conversation_id, channel_id, scenario_id, scenario_version, user_id, state, version, last_seq,
        started, with_agent, created_utc, updated_utc
        """;

    public async Task<ConversationRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RecordColumns} FROM conversations WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(reader) : null;
    }

    public async Task<IReadOnlyList<ConversationRecord>> ListActiveAsync(DateTimeOffset sinceUtc, bool withAgentOnly, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RecordColumns} FROM conversations WHERE updated_utc >= $since AND ($agent = 0 OR with_agent = 1)
            ORDER BY updated_utc DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$since", Iso(sinceUtc));
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
        DateTimeOffset.Parse(reader.GetString(11), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        DateTimeOffset.Parse(reader.GetString(12), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));

    public async Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, type, json FROM activities WHERE key = $key AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<StoredActivity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new StoredActivity(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        return list;
    }

    public async IAsyncEnumerable<TurnLogEntry> ReadTurnsAsync(TurnLogQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT key, turn, at_utc, scenario_id, scenario_version, json FROM turns
            WHERE ($scenario IS NULL OR scenario_id = $scenario) AND ($version IS NULL OR scenario_version = $version)
              AND ($from IS NULL OR at_utc >= $from) AND ($to IS NULL OR at_utc < $to)
            ORDER BY key, turn
            """;
        command.Parameters.AddWithValue("$scenario", (object?)query.ScenarioId ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", (object?)query.ScenarioVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", query.FromUtc is { } from ? Iso(from) : DBNull.Value);
        command.Parameters.AddWithValue("$to", query.ToUtc is { } to ? Iso(to) : DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new TurnLogEntry(
                reader.GetString(0), reader.GetInt64(1),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(3), reader.GetString(4), (byte[])reader.GetValue(5));
        }
    }

    public Task SaveAsync(TurnWrite write, CancellationToken cancellationToken)
    {
        if (write.Conversation.Version != write.ExpectedVersion + 1)
            throw new ArgumentException("The new version must be ExpectedVersion + 1.", nameof(write));
        var pending = new PendingWrite(write);
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
            _writes.Add(item, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
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
            _writerDone.TrySetException(e);
        }
    }

    void WriteLoop()
    {
        using var update = _writer.CreateCommand();
        update.CommandText = """
            UPDATE conversations SET state = $state, version = $version, last_seq = $last_seq, started = $started,
                   with_agent = $with_agent, user_id = $user_id, updated_utc = $updated
            WHERE key = $key AND version = $expected
            """;
        var uState = update.Parameters.Add("$state", SqliteType.Blob);
        var uVersion = update.Parameters.Add("$version", SqliteType.Integer);
        var uLastSeq = update.Parameters.Add("$last_seq", SqliteType.Integer);
        var uStarted = update.Parameters.Add("$started", SqliteType.Integer);
        var uWithAgent = update.Parameters.Add("$with_agent", SqliteType.Integer);
        var uUser = update.Parameters.Add("$user_id", SqliteType.Text);
        var uUpdated = update.Parameters.Add("$updated", SqliteType.Text);
        var uKey = update.Parameters.Add("$key", SqliteType.Text);
        var uExpected = update.Parameters.Add("$expected", SqliteType.Integer);

        using var insert = _writer.CreateCommand();
        insert.CommandText = """
            INSERT OR IGNORE INTO conversations (key, conversation_id, channel_id, scenario_id, scenario_version, user_id, state,
                   version, last_seq, started, with_agent, created_utc, updated_utc)
            VALUES ($key, $conversation_id, $channel_id, $scenario_id, $scenario_version, $user_id, $state,
                   $version, $last_seq, $started, $with_agent, $created, $updated)
            """;
        var iKey = insert.Parameters.Add("$key", SqliteType.Text);
        var iConversation = insert.Parameters.Add("$conversation_id", SqliteType.Text);
        var iChannel = insert.Parameters.Add("$channel_id", SqliteType.Text);
        var iScenario = insert.Parameters.Add("$scenario_id", SqliteType.Text);
        var iScenarioVersion = insert.Parameters.Add("$scenario_version", SqliteType.Text);
        var iUser = insert.Parameters.Add("$user_id", SqliteType.Text);
        var iState = insert.Parameters.Add("$state", SqliteType.Blob);
        var iVersion = insert.Parameters.Add("$version", SqliteType.Integer);
        var iLastSeq = insert.Parameters.Add("$last_seq", SqliteType.Integer);
        var iStarted = insert.Parameters.Add("$started", SqliteType.Integer);
        var iWithAgent = insert.Parameters.Add("$with_agent", SqliteType.Integer);
        var iCreated = insert.Parameters.Add("$created", SqliteType.Text);
        var iUpdated = insert.Parameters.Add("$updated", SqliteType.Text);

        using var append = _writer.CreateCommand();
        append.CommandText = "INSERT INTO activities (key, seq, type, json) VALUES ($key, $seq, $type, $json)";
        var aKey = append.Parameters.Add("$key", SqliteType.Text);
        var aSeq = append.Parameters.Add("$seq", SqliteType.Integer);
        var aType = append.Parameters.Add("$type", SqliteType.Text);
        var aJson = append.Parameters.Add("$json", SqliteType.Blob);

        using var log = _writer.CreateCommand();
        log.CommandText = """
            INSERT OR REPLACE INTO turns (key, turn, at_utc, scenario_id, scenario_version, json)
            VALUES ($key, $turn, $at, $scenario_id, $scenario_version, $json)
            """;
        var lKey = log.Parameters.Add("$key", SqliteType.Text);
        var lTurn = log.Parameters.Add("$turn", SqliteType.Integer);
        var lAt = log.Parameters.Add("$at", SqliteType.Text);
        var lScenario = log.Parameters.Add("$scenario_id", SqliteType.Text);
        var lScenarioVersion = log.Parameters.Add("$scenario_version", SqliteType.Text);
        var lJson = log.Parameters.Add("$json", SqliteType.Blob);

        var batch = new List<PendingWrite>(MaxBatch);
        var steps = new List<WriterStep>();
        while (_writes.TryTake(out var first, Timeout.Infinite))
        {
            batch.Clear();
            steps.Clear();
            for (var item = first; item is not null; item = batch.Count < MaxBatch && _writes.TryTake(out var next) ? next : null)
            {
                if (item is PendingWrite turn) batch.Add(turn);
                else steps.Add((WriterStep)item);
            }
            var conflicts = new bool[batch.Count];
            try
            {
                using var transaction = _writer.BeginTransaction();
                update.Transaction = insert.Transaction = append.Transaction = log.Transaction = transaction;
                for (var i = 0; i < batch.Count; i++)
                {
                    var w = batch[i].Write;
                    var c = w.Conversation;
                    var updated = Iso(c.UpdatedUtc);
                    if (string.CompareOrdinal(updated, _activitiesExpiredBefore) < 0) _activitiesExpiredBefore = updated;
                    int changed;
                    if (w.ExpectedVersion == 0)
                    {
                        iKey.Value = c.Key; iConversation.Value = c.ConversationId; iChannel.Value = c.ChannelId;
                        iScenario.Value = c.ScenarioId; iScenarioVersion.Value = c.ScenarioVersion; iUser.Value = (object?)c.UserId ?? DBNull.Value;
                        iState.Value = StoredBytes.AsArray(c.State); iVersion.Value = c.Version; iLastSeq.Value = c.LastSeq;
                        iStarted.Value = c.Started ? 1 : 0; iWithAgent.Value = c.WithAgent ? 1 : 0;
                        iCreated.Value = Iso(c.CreatedUtc); iUpdated.Value = updated;
                        changed = insert.ExecuteNonQuery();
                    }
                    else
                    {
                        uState.Value = StoredBytes.AsArray(c.State); uVersion.Value = c.Version; uLastSeq.Value = c.LastSeq;
                        uStarted.Value = c.Started ? 1 : 0; uWithAgent.Value = c.WithAgent ? 1 : 0; uUser.Value = (object?)c.UserId ?? DBNull.Value;
                        uUpdated.Value = updated; uKey.Value = c.Key; uExpected.Value = w.ExpectedVersion;
                        changed = update.ExecuteNonQuery();
                    }
                    // INVARIANT: a conflicting turn writes nothing, so the rest of the batch can still commit.
                    if (changed == 0)
                    {
                        conflicts[i] = true;
                        continue;
                    }
                    foreach (var a in w.Activities)
                    {
                        aKey.Value = c.Key; aSeq.Value = a.Seq; aType.Value = a.Type; aJson.Value = StoredBytes.AsArray(a.Json);
                        append.ExecuteNonQuery();
                    }
                    if (w.Turn is { } t)
                    {
                        lKey.Value = t.Key; lTurn.Value = t.Turn; lAt.Value = Iso(t.AtUtc);
                        lScenario.Value = t.ScenarioId; lScenarioVersion.Value = t.ScenarioVersion; lJson.Value = StoredBytes.AsArray(t.Json);
                        log.ExecuteNonQuery();
                    }
                }
                // Expiry steps share the batch's commit (and its fsync); each in a savepoint, so a failing one undoes only itself.
                foreach (var step in steps) step.Run(_writer, transaction);
                transaction.Commit();
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Completion.TrySetException(e);
                foreach (var step in steps) step.Fail(e);
                continue;
            }
            foreach (var step in steps) step.Complete();
            for (var i = 0; i < batch.Count; i++)
            {
                if (conflicts[i]) batch[i].Completion.TrySetException(new ConcurrencyConflictException(batch[i].Write.Conversation.Key));
                else batch[i].Completion.TrySetResult();
            }
        }
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the container disposes the store once per service type it is registered as. The queue is not
        // disposed for that reason (it holds no handle once the writer has stopped waiting on it).
        _writes.CompleteAdding();
        await _writerDone.Task.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    /// <summary>What the writer thread takes from its queue: a turn to save (<see cref="PendingWrite"/>) or an expiry step.</summary>
    abstract class WriterItem;

    sealed class PendingWrite(TurnWrite write) : WriterItem
    {
        public TurnWrite Write { get; } = write;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
