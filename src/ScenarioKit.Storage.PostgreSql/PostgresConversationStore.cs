using System.Runtime.CompilerServices;
using Npgsql;
using static ScenarioKit.Storage.PostgreSql.PostgresConnection;

namespace ScenarioKit.Storage.PostgreSql;

/// <summary>
/// PostgreSQL store for several server nodes on one database. A turn is one transaction: the versioned row update (or
/// insert of a new conversation) decides; a stale version writes nothing and raises <see cref="ConcurrencyConflictException"/>
/// so the server reloads and runs the turn again. The same transaction appends the activities and the turn log row and
/// queues a NOTIFY (delivered at commit) that wakes Direct Line streams on every node (<see cref="ListenAsync"/>).
/// Acknowledged means committed: <see cref="SaveAsync"/> returns after the commit.
/// </summary>
public sealed class PostgresConversationStore : IConversationStore, IPackageArchive, ITurnLog, IStoreRetention, IConversationChanges, IAsyncDisposable
{
    /// <summary>The NOTIFY channel; the payload is "<c>lastSeq key</c>".</summary>
    internal const string TurnChannel = "scenariokit_turns";

    const int ExpiryBatch = 500;

    readonly NpgsqlDataSource _dataSource;

    /// <summary>Opens the store (no I/O: call <see cref="MigrateAsync"/> before the first turn).</summary>
    public PostgresConversationStore(string connectionString)
    {
        _dataSource = PostgresConnection.CreateDataSource(connectionString);
    }

    /// <summary>Where the store points (host, port, database, user; never the password), for messages.</summary>
    public string Description => PostgresConnection.Describe(_dataSource);

    /// <summary>The pooled data source, for what shares the database with the store (the console's keys, the hub's messages).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Applies the schema migrations that are missing (safe with several nodes starting together).</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken) => PostgresMigrations.ApplyAsync(_dataSource, cancellationToken);

    const string RecordColumns = """
        key, conversation_id, channel_id, scenario_id, scenario_version, user_id, state, version, last_seq,
        started, with_agent, created_utc, updated_utc
        """;

    public async Task<ConversationRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {RecordColumns} FROM conversations WHERE key = $1");
        command.Parameters.Add(Text(key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(reader) : null;
    }

    public async Task<IReadOnlyList<ConversationRecord>> ListActiveAsync(DateTimeOffset sinceUtc, bool withAgentOnly, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT {RecordColumns} FROM conversations WHERE updated_utc >= $1 AND (NOT $2 OR with_agent)
            ORDER BY updated_utc DESC LIMIT $3
            """);
        command.Parameters.Add(Time(sinceUtc));
        command.Parameters.Add(Value(withAgentOnly));
        command.Parameters.Add(Value(limit));
        var list = new List<ConversationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadRecord(reader));
        return list;
    }

    static ConversationRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetFieldValue<byte[]>(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.GetBoolean(9),
        reader.GetBoolean(10),
        reader.GetFieldValue<DateTimeOffset>(11),
        reader.GetFieldValue<DateTimeOffset>(12));

    public async Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT seq, type, json FROM activities WHERE key = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        command.Parameters.Add(Text(key));
        command.Parameters.Add(Value(afterSeq));
        command.Parameters.Add(Value(limit));
        var list = new List<StoredActivity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new StoredActivity(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        return list;
    }

    public async Task SaveAsync(TurnWrite write, CancellationToken cancellationToken)
    {
        if (write.Conversation.Version != write.ExpectedVersion + 1)
            throw new ArgumentException("The new version must be ExpectedVersion + 1.", nameof(write));
        var c = write.Conversation;
        var t = write.Turn;
        // One statement, so one round trip that commits on its own (autocommit) instead of BEGIN, the row, the log rows and
        // COMMIT one after the other. The turn is not cancelled halfway: once sent, it commits or fails as a whole.
        await using var save = _dataSource.CreateCommand(SaveSql(write.ExpectedVersion == 0, t is not null));
        save.Parameters.Add(Text(c.Key));
        save.Parameters.Add(Text(c.ConversationId));
        save.Parameters.Add(Text(c.ChannelId));
        save.Parameters.Add(Text(c.ScenarioId));
        save.Parameters.Add(Text(c.ScenarioVersion));
        save.Parameters.Add(Text(c.UserId));
        save.Parameters.Add(Value(StoredBytes.AsArray(c.State)));
        save.Parameters.Add(Value(c.Version));
        save.Parameters.Add(Value(c.LastSeq));
        save.Parameters.Add(Value(c.Started));
        save.Parameters.Add(Value(c.WithAgent));
        save.Parameters.Add(Time(c.CreatedUtc));
        save.Parameters.Add(Time(c.UpdatedUtc));
        save.Parameters.Add(Value(write.ExpectedVersion));
        save.Parameters.Add(Value<long[]>([.. write.Activities.Select(a => a.Seq)]));
        save.Parameters.Add(Value<string[]>([.. write.Activities.Select(a => a.Type)]));
        save.Parameters.Add(Value<byte[][]>([.. write.Activities.Select(a => StoredBytes.AsArray(a.Json))]));
        save.Parameters.Add(Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.LastSeq} {c.Key}")));
        if (t is not null)
        {
            save.Parameters.Add(Text(t.Key));
            save.Parameters.Add(Value(t.Turn));
            save.Parameters.Add(Time(t.AtUtc));
            save.Parameters.Add(Text(t.ScenarioId));
            save.Parameters.Add(Text(t.ScenarioVersion));
            save.Parameters.Add(Value(StoredBytes.AsArray(t.Json)));
        }
        // INVARIANT: a stale version (or a row another node created first) saves no row, and the log rows and the NOTIFY are
        // guarded by the saved row, so such a turn changes nothing.
        if (await save.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is null)
            throw new ConcurrencyConflictException(c.Key);
    }

    static readonly string[] SaveStatements = [SaveStatement(false, false), SaveStatement(false, true), SaveStatement(true, false), SaveStatement(true, true)];

    static string SaveSql(bool create, bool withTurn) => SaveStatements[(create ? 2 : 0) + (withTurn ? 1 : 0)];

    /// <summary>
    /// The turn as one statement: the versioned row (<c>$1…$14</c>) in a data-modifying CTE, the activities (<c>$15…$17</c>)
    /// and the turn-log row (<c>$19…$24</c>) written only if it saved, and <c>pg_notify</c> (<c>$18</c>), which PostgreSQL
    /// delivers at commit. It returns the key when the row saved and nothing on a version conflict.
    /// </summary>
    static string SaveStatement(bool create, bool withTurn)
    {
        var row = create
            ? $"INSERT INTO conversations ({RecordColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (key) DO NOTHING RETURNING key"
            : """
              UPDATE conversations SET user_id = $6, state = $7, version = $8, last_seq = $9, started = $10, with_agent = $11,
                     updated_utc = $13
              WHERE key = $1 AND version = $14
              RETURNING key
              """;
        var log = withTurn
            ? """
              , logged AS (
                INSERT INTO turns (key, turn, at_utc, scenario_id, scenario_version, json)
                SELECT $19, $20, $21, $22, $23, $24 WHERE EXISTS (SELECT 1 FROM saved)
                ON CONFLICT (key, turn) DO UPDATE SET at_utc = excluded.at_utc, scenario_id = excluded.scenario_id,
                  scenario_version = excluded.scenario_version, json = excluded.json)
              """
            : "";
        return $"""
            WITH saved AS ({row}),
            appended AS (
              INSERT INTO activities (key, seq, type, json)
              SELECT $1, a.seq, a.type, a.json FROM unnest($15::bigint[], $16::text[], $17::bytea[]) AS a(seq, type, json)
              WHERE EXISTS (SELECT 1 FROM saved)){log}
            SELECT key, pg_notify('{TurnChannel}', $18) FROM saved
            """;
    }

    public Task ListenAsync(Action<string?, long> committed, CancellationToken cancellationToken) =>
        PostgresConnection.ListenAsync(_dataSource, TurnChannel, payload =>
        {
            if (payload is null)
            {
                committed(null, 0);
                return;
            }
            var space = payload.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && long.TryParse(payload.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture, out var seq))
                committed(payload[(space + 1)..], seq);
        }, cancellationToken);

    public async IAsyncEnumerable<TurnLogEntry> ReadTurnsAsync(TurnLogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT key, turn, at_utc, scenario_id, scenario_version, json FROM turns
            WHERE ($1::text IS NULL OR scenario_id = $1) AND ($2::text IS NULL OR scenario_version = $2)
              AND ($3::timestamptz IS NULL OR at_utc >= $3) AND ($4::timestamptz IS NULL OR at_utc < $4)
            ORDER BY key, turn
            """);
        command.Parameters.Add(Text(query.ScenarioId));
        command.Parameters.Add(Text(query.ScenarioVersion));
        command.Parameters.Add(Time(query.FromUtc));
        command.Parameters.Add(Time(query.ToUtc));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new TurnLogEntry(
                reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.GetString(4), reader.GetFieldValue<byte[]>(5));
        }
    }

    public async Task<RetentionResult> ExpireAsync(DateTimeOffset activitiesBeforeUtc, DateTimeOffset turnsBeforeUtc, CancellationToken cancellationToken)
    {
        // A conversation that goes loses its activities too, whichever cutoff is later.
        var activitiesBefore = activitiesBeforeUtc > turnsBeforeUtc ? activitiesBeforeUtc : turnsBeforeUtc;
        var activities = await DeleteInBatchesAsync("""
            DELETE FROM activities WHERE (key, seq) IN (SELECT a.key, a.seq FROM conversations c JOIN activities a ON a.key = c.key
                                                        WHERE c.updated_utc < $1 LIMIT $2)
            """, activitiesBefore, cancellationToken).ConfigureAwait(false);
        var turns = await DeleteInBatchesAsync(
            "DELETE FROM turns WHERE (key, turn) IN (SELECT key, turn FROM turns WHERE at_utc < $1 LIMIT $2)",
            turnsBeforeUtc, cancellationToken).ConfigureAwait(false);
        var conversations = await DeleteInBatchesAsync(
            "DELETE FROM conversations WHERE key IN (SELECT key FROM conversations WHERE updated_utc < $1 LIMIT $2)",
            turnsBeforeUtc, cancellationToken).ConfigureAwait(false);
        return new RetentionResult(conversations, activities, turns);
    }

    /// <summary>Runs a <c>DELETE … LIMIT $2</c> until it deletes nothing: short transactions keep row locks brief.</summary>
    async Task<long> DeleteInBatchesAsync(string sql, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(Time(before));
        command.Parameters.Add(Value(ExpiryBatch));
        long total = 0;
        int deleted;
        do
        {
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted > 0);
        return total;
    }

    public async Task SavePackageAsync(string scenarioId, string version, string contentHash, byte[] package, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO packages (scenario_id, version, content_hash, package) VALUES ($1, $2, $3, $4)
            ON CONFLICT (scenario_id, version) DO UPDATE SET content_hash = excluded.content_hash, package = excluded.package
            WHERE packages.content_hash <> excluded.content_hash
            """);
        command.Parameters.Add(Text(scenarioId));
        command.Parameters.Add(Text(version));
        command.Parameters.Add(Text(contentHash));
        command.Parameters.Add(Value(package));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetPackageAsync(string scenarioId, string version, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT package FROM packages WHERE scenario_id = $1 AND version = $2");
        command.Parameters.Add(Text(scenarioId));
        command.Parameters.Add(Text(version));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
