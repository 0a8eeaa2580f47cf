using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Tickets;

namespace ScenarioKit.Hub.Storage;

/// <summary>
/// The hub's tables in a SQLite file (normally the server's own database, WAL mode). Reads use pooled connections.
/// Every write goes through one connection in a background loop that commits all writes waiting at that moment in
/// one transaction (group commit, as <c>SqliteConversationStore</c>): a burst of handoffs pays one fsync per batch
/// instead of one per write, and a lone write still commits at once. Writes are applied in the order they were
/// queued, each completes only once its batch is durable, and one that fails (a constraint) fails alone.
/// </summary>
public sealed class SqliteHubStore : IHubStore, IAsyncDisposable, IDisposable
{
    const int MaxBatch = 256;

    readonly string _connectionString;
    readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    readonly SqliteConnection _writer;
    readonly Task _writerLoop;

    public SqliteHubStore(string path, bool fullSync = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _sync = fullSync ? "FULL" : "NORMAL";
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Pragmas(_writer);
        using var command = _writer.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS hub_agents (
              login TEXT NOT NULL PRIMARY KEY,
              display_name TEXT NOT NULL,
              role TEXT NOT NULL,
              queues TEXT NOT NULL,
              max_chats INTEGER NOT NULL,
              disabled INTEGER NOT NULL,
              security_stamp TEXT NOT NULL,
              password_hash TEXT NOT NULL,
              failed_logins INTEGER NOT NULL,
              locked_until TEXT,
              created_utc TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS hub_entries (
              id TEXT NOT NULL PRIMARY KEY,
              conversation_key TEXT NOT NULL,
              conversation_id TEXT NOT NULL,
              channel_id TEXT NOT NULL,
              scenario_id TEXT NOT NULL,
              scenario_version TEXT NOT NULL,
              user_id TEXT,
              queue TEXT NOT NULL,
              rule_id TEXT NOT NULL,
              rule_location TEXT,
              reason TEXT NOT NULL,
              priority INTEGER NOT NULL,
              customer_name TEXT,
              locale TEXT,
              context BLOB NOT NULL,
              waiting_since TEXT NOT NULL,
              status TEXT NOT NULL,
              agent TEXT,
              offered_utc TEXT,
              accepted_utc TEXT,
              ended_utc TEXT,
              last_customer_utc TEXT NOT NULL,
              outcome TEXT,
              version INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS hub_entries_open ON hub_entries (status) WHERE status IN ('Waiting', 'Offered', 'Assigned');
            CREATE INDEX IF NOT EXISTS hub_entries_user ON hub_entries (scenario_id, user_id);
            CREATE TABLE IF NOT EXISTS hub_notes (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              entry_id TEXT NOT NULL,
              author TEXT NOT NULL,
              text TEXT NOT NULL,
              whisper INTEGER NOT NULL,
              at_utc TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS hub_notes_entry ON hub_notes (entry_id);
            CREATE TABLE IF NOT EXISTS hub_tickets (
              number TEXT NOT NULL PRIMARY KEY,
              conversation_key TEXT NOT NULL,
              scenario_id TEXT NOT NULL,
              kind TEXT NOT NULL,
              contact TEXT,
              preferred_time TEXT,
              note TEXT,
              queue TEXT,
              context BLOB NOT NULL,
              created_utc TEXT NOT NULL,
              closed INTEGER NOT NULL,
              closed_by TEXT,
              closed_utc TEXT,
              resolution TEXT
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS hub_audit (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at_utc TEXT NOT NULL,
              actor TEXT NOT NULL,
              action TEXT NOT NULL,
              conversation_key TEXT,
              entry_id TEXT,
              detail TEXT
            );
            CREATE INDEX IF NOT EXISTS hub_audit_actor ON hub_audit (actor, id);
            """;
        command.ExecuteNonQuery();
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    readonly string _sync;

    public Task<bool> AddAgentAsync(AgentCredentials agent, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = """
            INSERT OR IGNORE INTO hub_agents (login, display_name, role, queues, max_chats, disabled, security_stamp, password_hash, failed_logins, locked_until, created_utc)
            VALUES ($login, $name, $role, $queues, $max, $disabled, $stamp, $hash, $failed, $locked, $created)
            """;
        BindAgent(command, agent);
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task UpdateAgentAsync(AgentCredentials agent, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = """
            UPDATE hub_agents SET display_name = $name, role = $role, queues = $queues, max_chats = $max, disabled = $disabled,
              security_stamp = $stamp, password_hash = $hash, failed_logins = $failed, locked_until = $locked
            WHERE login = $login
            """;
        BindAgent(command, agent);
        return command.ExecuteNonQuery();
    }, cancellationToken);

    static void BindAgent(SqliteCommand command, AgentCredentials agent)
    {
        var a = agent.Account;
        command.Parameters.AddWithValue("$login", a.Login);
        command.Parameters.AddWithValue("$name", a.DisplayName);
        command.Parameters.AddWithValue("$role", a.Role.ToString());
        command.Parameters.AddWithValue("$queues", string.Join(',', a.Queues));
        command.Parameters.AddWithValue("$max", a.MaxChats);
        command.Parameters.AddWithValue("$disabled", a.Disabled ? 1 : 0);
        command.Parameters.AddWithValue("$stamp", a.SecurityStamp);
        command.Parameters.AddWithValue("$hash", agent.PasswordHash);
        command.Parameters.AddWithValue("$failed", agent.FailedLogins);
        command.Parameters.AddWithValue("$locked", Nullable(agent.LockedUntilUtc));
        command.Parameters.AddWithValue("$created", Format(a.CreatedUtc));
    }

    const string AgentColumns = "login, display_name, role, queues, max_chats, disabled, security_stamp, password_hash, failed_logins, locked_until, created_utc";

    public async Task<AgentCredentials?> GetAgentAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AgentColumns} FROM hub_agents WHERE login = $login";
        command.Parameters.AddWithValue("$login", login);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAgent(reader) : null;
    }

    public async Task<IReadOnlyList<AgentAccount>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AgentColumns} FROM hub_agents ORDER BY login";
        var list = new List<AgentAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadAgent(reader).Account);
        return list;
    }

    static AgentCredentials ReadAgent(SqliteDataReader r) => new(
        new AgentAccount(
            r.GetString(0), r.GetString(1), Enum.Parse<AgentRole>(r.GetString(2)),
            [.. r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries)],
            r.GetInt32(4), r.GetInt64(5) != 0, r.GetString(6), Parse(r.GetString(10))),
        r.GetString(7), r.GetInt32(8), r.IsDBNull(9) ? null : Parse(r.GetString(9)));

    const string EntryColumns = """
        id, conversation_key, conversation_id, channel_id, scenario_id, scenario_version, user_id, queue, rule_id, rule_location,
        reason, priority, customer_name, locale, context, waiting_since, status, agent, offered_utc, accepted_utc, ended_utc,
        last_customer_utc, outcome, version
        """;

    public Task InsertEntryAsync(HandoffEntry entry, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = $"""
            INSERT INTO hub_entries ({EntryColumns}) VALUES ($id, $key, $cid, $channel, $scenario, $sversion, $user, $queue, $rule, $location,
              $reason, $priority, $customer, $locale, $context, $since, $status, $agent, $offered, $accepted, $ended, $last, $outcome, $version)
            """;
        BindEntry(command, entry);
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public Task<bool> UpdateEntryAsync(HandoffEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        if (entry.Version != expectedVersion + 1) throw new ArgumentException("The new version must be expectedVersion + 1.", nameof(entry));
        // INVARIANT: a stale version changes no row, so the conflict is this write's answer and the rest of the batch commits.
        return WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE hub_entries SET queue = $queue, priority = $priority, customer_name = $customer, status = $status, agent = $agent,
                  offered_utc = $offered, accepted_utc = $accepted, ended_utc = $ended, last_customer_utc = $last, outcome = $outcome,
                  version = $version, context = $context
                WHERE id = $id AND version = $expected
                """;
            BindEntry(command, entry);
            command.Parameters.AddWithValue("$expected", expectedVersion);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    static void BindEntry(SqliteCommand c, HandoffEntry e)
    {
        c.Parameters.AddWithValue("$id", e.Id);
        c.Parameters.AddWithValue("$key", e.ConversationKey);
        c.Parameters.AddWithValue("$cid", e.ConversationId);
        c.Parameters.AddWithValue("$channel", e.ChannelId);
        c.Parameters.AddWithValue("$scenario", e.ScenarioId);
        c.Parameters.AddWithValue("$sversion", e.ScenarioVersion);
        c.Parameters.AddWithValue("$user", (object?)e.UserId ?? DBNull.Value);
        c.Parameters.AddWithValue("$queue", e.Queue);
        c.Parameters.AddWithValue("$rule", e.RuleId);
        c.Parameters.AddWithValue("$location", (object?)e.RuleLocation ?? DBNull.Value);
        c.Parameters.AddWithValue("$reason", e.Reason);
        c.Parameters.AddWithValue("$priority", e.Priority);
        c.Parameters.AddWithValue("$customer", (object?)e.CustomerName ?? DBNull.Value);
        c.Parameters.AddWithValue("$locale", (object?)e.Locale ?? DBNull.Value);
        c.Parameters.AddWithValue("$context", JsonSerializer.SerializeToUtf8Bytes(e.Context));
        c.Parameters.AddWithValue("$since", Format(e.WaitingSinceUtc));
        c.Parameters.AddWithValue("$status", e.Status.ToString());
        c.Parameters.AddWithValue("$agent", (object?)e.Agent ?? DBNull.Value);
        c.Parameters.AddWithValue("$offered", Nullable(e.OfferedUtc));
        c.Parameters.AddWithValue("$accepted", Nullable(e.AcceptedUtc));
        c.Parameters.AddWithValue("$ended", Nullable(e.EndedUtc));
        c.Parameters.AddWithValue("$last", Format(e.LastCustomerActivityUtc));
        c.Parameters.AddWithValue("$outcome", (object?)e.Outcome ?? DBNull.Value);
        c.Parameters.AddWithValue("$version", e.Version);
    }

    static HandoffEntry ReadEntry(SqliteDataReader r)
    {
        using var context = JsonDocument.Parse((byte[])r.GetValue(14));
        return new HandoffEntry(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), NullableString(r, 6),
            r.GetString(7), r.GetString(8), NullableString(r, 9), r.GetString(10), r.GetInt32(11), NullableString(r, 12), NullableString(r, 13),
            context.RootElement.Clone(), Parse(r.GetString(15)), Enum.Parse<EntryStatus>(r.GetString(16)), NullableString(r, 17),
            NullableTime(r, 18), NullableTime(r, 19), NullableTime(r, 20), Parse(r.GetString(21)), NullableString(r, 22), r.GetInt64(23));
    }

    public async Task<HandoffEntry?> GetEntryAsync(string id, CancellationToken cancellationToken)
    {
        var list = await QueryEntriesAsync($"SELECT {EntryColumns} FROM hub_entries WHERE id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<HandoffEntry>> ListOpenEntriesAsync(CancellationToken cancellationToken) =>
        QueryEntriesAsync($"SELECT {EntryColumns} FROM hub_entries WHERE status IN ('Waiting', 'Offered', 'Assigned') ORDER BY waiting_since, id", null, cancellationToken);

    public Task<IReadOnlyList<HandoffEntry>> ListEndedEntriesAsync(string? scenarioId, string? userId, int limit, CancellationToken cancellationToken) =>
        QueryEntriesAsync($"""
            SELECT {EntryColumns} FROM hub_entries
            WHERE status NOT IN ('Waiting', 'Offered', 'Assigned')
              AND ($scenario IS NULL OR scenario_id = $scenario) AND ($user IS NULL OR user_id = $user)
            ORDER BY ended_utc DESC, id LIMIT $limit
            """,
            c =>
            {
                c.Parameters.AddWithValue("$scenario", (object?)scenarioId ?? DBNull.Value);
                c.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
                c.Parameters.AddWithValue("$limit", limit);
            },
            cancellationToken);

    async Task<IReadOnlyList<HandoffEntry>> QueryEntriesAsync(string sql, Action<SqliteCommand>? bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind?.Invoke(command);
        var list = new List<HandoffEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadEntry(reader));
        return list;
    }

    public Task<EntryNote> AddNoteAsync(string entryId, string author, string text, bool whisper, DateTimeOffset atUtc, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = "INSERT INTO hub_notes (entry_id, author, text, whisper, at_utc) VALUES ($entry, $author, $text, $whisper, $at) RETURNING id";
        command.Parameters.AddWithValue("$entry", entryId);
        command.Parameters.AddWithValue("$author", author);
        command.Parameters.AddWithValue("$text", text);
        command.Parameters.AddWithValue("$whisper", whisper ? 1 : 0);
        command.Parameters.AddWithValue("$at", Format(atUtc));
        var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return new EntryNote(id, entryId, author, text, whisper, atUtc);
    }, cancellationToken);

    public async Task<IReadOnlyList<EntryNote>> ListNotesAsync(string entryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, entry_id, author, text, whisper, at_utc FROM hub_notes WHERE entry_id = $entry ORDER BY id";
        command.Parameters.AddWithValue("$entry", entryId);
        var list = new List<EntryNote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new EntryNote(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) != 0, Parse(reader.GetString(5))));
        return list;
    }

    public Task<bool> InsertTicketAsync(Ticket ticket, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = """
            INSERT OR IGNORE INTO hub_tickets (number, conversation_key, scenario_id, kind, contact, preferred_time, note, queue, context, created_utc, closed, closed_by, closed_utc, resolution)
            VALUES ($number, $key, $scenario, $kind, $contact, $time, $note, $queue, $context, $created, 0, NULL, NULL, NULL)
            """;
        command.Parameters.AddWithValue("$number", ticket.Number);
        command.Parameters.AddWithValue("$key", ticket.ConversationKey);
        command.Parameters.AddWithValue("$scenario", ticket.ScenarioId);
        command.Parameters.AddWithValue("$kind", ticket.Kind);
        command.Parameters.AddWithValue("$contact", (object?)ticket.Contact ?? DBNull.Value);
        command.Parameters.AddWithValue("$time", (object?)ticket.PreferredTime ?? DBNull.Value);
        command.Parameters.AddWithValue("$note", (object?)ticket.Note ?? DBNull.Value);
        command.Parameters.AddWithValue("$queue", (object?)ticket.Queue ?? DBNull.Value);
        command.Parameters.AddWithValue("$context", JsonSerializer.SerializeToUtf8Bytes(ticket.Context));
        command.Parameters.AddWithValue("$created", Format(ticket.CreatedUtc));
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    const string TicketColumns = "number, conversation_key, scenario_id, kind, contact, preferred_time, note, queue, context, created_utc, closed, closed_by, closed_utc, resolution";

    public async Task<Ticket?> GetTicketAsync(string number, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TicketColumns} FROM hub_tickets WHERE number = $number";
        command.Parameters.AddWithValue("$number", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTicket(reader) : null;
    }

    public async Task<IReadOnlyList<Ticket>> ListTicketsAsync(bool includeClosed, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TicketColumns} FROM hub_tickets WHERE $all = 1 OR closed = 0 ORDER BY created_utc DESC LIMIT $limit";
        command.Parameters.AddWithValue("$all", includeClosed ? 1 : 0);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<Ticket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadTicket(reader));
        return list;
    }

    public Task<Ticket?> CloseTicketAsync(string number, string closedBy, string? resolution, DateTimeOffset atUtc, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = $"""
            UPDATE hub_tickets SET closed = 1, closed_by = $by, closed_utc = $at, resolution = $resolution
            WHERE number = $number AND closed = 0 RETURNING {TicketColumns}
            """;
        command.Parameters.AddWithValue("$number", number);
        command.Parameters.AddWithValue("$by", closedBy);
        command.Parameters.AddWithValue("$at", Format(atUtc));
        command.Parameters.AddWithValue("$resolution", (object?)resolution ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadTicket(reader) : null;
    }, cancellationToken);

    static Ticket ReadTicket(SqliteDataReader r)
    {
        using var context = JsonDocument.Parse((byte[])r.GetValue(8));
        return new Ticket(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NullableString(r, 4), NullableString(r, 5),
            NullableString(r, 6), NullableString(r, 7), context.RootElement.Clone(), Parse(r.GetString(9)), r.GetInt64(10) != 0,
            NullableString(r, 11), NullableTime(r, 12), NullableString(r, 13));
    }

    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = "INSERT INTO hub_audit (at_utc, actor, action, conversation_key, entry_id, detail) VALUES ($at, $actor, $action, $key, $entry, $detail)";
        command.Parameters.AddWithValue("$at", Format(record.AtUtc));
        command.Parameters.AddWithValue("$actor", record.Actor);
        command.Parameters.AddWithValue("$action", record.Action);
        command.Parameters.AddWithValue("$key", (object?)record.ConversationKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$entry", (object?)record.EntryId ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", (object?)record.Detail ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, at_utc, actor, action, conversation_key, entry_id, detail FROM hub_audit
            WHERE ($actor IS NULL OR actor = $actor) AND ($key IS NULL OR conversation_key = $key) AND ($since IS NULL OR at_utc >= $since)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$actor", (object?)query.Actor ?? DBNull.Value);
        command.Parameters.AddWithValue("$key", (object?)query.ConversationKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", Nullable(query.SinceUtc));
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 10_000));
        var list = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new AuditRecord(reader.GetInt64(0), Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3), NullableString(reader, 4), NullableString(reader, 5), NullableString(reader, 6)));
        return list;
    }

    /// <summary>Queues <paramref name="execute"/> for the writer; the task completes once its batch is committed.</summary>
    Task<T> WriteAsync<T>(Func<SqliteCommand, T> execute, CancellationToken cancellationToken)
    {
        // Once queued the write is not cancelled halfway: it commits or fails as a whole.
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(execute);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(pending), this);
        return pending.Completion.Task;
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            var failed = new Exception?[batch.Count];
            try
            {
                using var transaction = _writer.BeginTransaction();
                for (var i = 0; i < batch.Count; i++)
                {
                    // A savepoint per write: a failing statement (a duplicate key) is undone alone and the batch still commits.
                    transaction.Save("w");
                    try
                    {
                        using var command = _writer.CreateCommand();
                        command.Transaction = transaction;
                        batch[i].Execute(command);
                        transaction.Release("w");
                    }
                    catch (SqliteException e)
                    {
                        failed[i] = e;
                        transaction.Rollback("w");
                        transaction.Release("w");
                    }
                }
                transaction.Commit();
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Fail(e);
                continue;
            }
            for (var i = 0; i < batch.Count; i++)
            {
                if (failed[i] is { } e) batch[i].Fail(e);
                else batch[i].Complete();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    abstract class PendingWrite
    {
        public abstract void Execute(SqliteCommand command);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    sealed class PendingWrite<T>(Func<SqliteCommand, T> execute) : PendingWrite
    {
        T _result = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Execute(SqliteCommand command) => _result = execute(command);

        public override void Complete() => Completion.TrySetResult(_result);

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        Pragmas(connection);
        return connection;
    }

    void Pragmas(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={_sync}; PRAGMA busy_timeout=5000;";
        command.ExecuteNonQuery();
    }

    // Instants are stored as UTC round-trip text: sortable as strings, exact, readable in the sqlite3 shell.
    static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    static object Nullable(DateTimeOffset? value) => value is { } v ? Format(v) : DBNull.Value;

    static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Parse(r.GetString(i));
}
