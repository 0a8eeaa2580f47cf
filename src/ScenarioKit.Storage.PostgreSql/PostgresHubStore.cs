using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tickets;
using static ScenarioKit.Storage.PostgreSql.PostgresConnection;

namespace ScenarioKit.Hub.Storage.PostgreSql;

/// <summary>
/// The agent hub's tables in PostgreSQL (the schema of <see cref="ScenarioKit.Storage.PostgreSql.PostgresMigrations"/>).
/// Reads use pooled connections. Writes go through one background loop in the order they were queued (the
/// <see cref="IHubStore"/> promise: the hub starts a write under its gate and awaits it after releasing it), each its
/// own committed statement; one that fails (a constraint) fails alone. A stale <c>version</c> changes no row.
/// </summary>
public sealed class PostgresHubStore : IHubStore, IAsyncDisposable, IDisposable
{
    readonly NpgsqlDataSource _dataSource;
    readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writerLoop;

    /// <summary>Opens the store over an already migrated database (<see cref="ScenarioKit.Storage.PostgreSql.PostgresMigrations"/>).</summary>
    public PostgresHubStore(string connectionString)
    {
        _dataSource = CreateDataSource(connectionString);
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    public Task<bool> AddAgentAsync(AgentCredentials agent, CancellationToken cancellationToken) => WriteAsync(async command =>
    {
        command.CommandText = $"""
            INSERT INTO hub_agents ({AgentColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (login) DO NOTHING
            """;
        BindAgent(command, agent);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
    }, cancellationToken);

    public Task UpdateAgentAsync(AgentCredentials agent, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = """
            UPDATE hub_agents SET display_name = $2, role = $3, queues = $4, max_chats = $5, disabled = $6,
              security_stamp = $7, password_hash = $8, failed_logins = $9, locked_until = $10
            WHERE login = $1
            """;
        BindAgent(command, agent);
        return command.ExecuteNonQueryAsync();
    }, cancellationToken);

    const string AgentColumns = "login, display_name, role, queues, max_chats, disabled, security_stamp, password_hash, failed_logins, locked_until, created_utc";

    static void BindAgent(NpgsqlCommand command, AgentCredentials agent)
    {
        var a = agent.Account;
        command.Parameters.Add(Text(a.Login));
        command.Parameters.Add(Text(a.DisplayName));
        command.Parameters.Add(Text(a.Role.ToString()));
        command.Parameters.Add(Text(string.Join(',', a.Queues)));
        command.Parameters.Add(Value(a.MaxChats));
        command.Parameters.Add(Value(a.Disabled));
        command.Parameters.Add(Text(a.SecurityStamp));
        command.Parameters.Add(Text(agent.PasswordHash));
        command.Parameters.Add(Value(agent.FailedLogins));
        command.Parameters.Add(Time(agent.LockedUntilUtc));
        command.Parameters.Add(Time(a.CreatedUtc));
    }

    public async Task<AgentCredentials?> GetAgentAsync(string login, CancellationToken cancellationToken)
    {
        var list = await QueryAsync($"SELECT {AgentColumns} FROM hub_agents WHERE login = $1", ReadAgent, cancellationToken, Text(login)).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<AgentAccount>> ListAgentsAsync(CancellationToken cancellationToken) =>
        [.. (await QueryAsync($"SELECT {AgentColumns} FROM hub_agents ORDER BY login", ReadAgent, cancellationToken).ConfigureAwait(false)).Select(a => a.Account)];

    static AgentCredentials ReadAgent(NpgsqlDataReader r) => new(
        new AgentAccount(
            r.GetString(0), r.GetString(1), Enum.Parse<AgentRole>(r.GetString(2)),
            [.. r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries)],
            r.GetInt32(4), r.GetBoolean(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(10)),
        r.GetString(7), r.GetInt32(8), NullableTime(r, 9));

    const string EntryColumns = """
        id, conversation_key, conversation_id, channel_id, scenario_id, scenario_version, user_id, queue, rule_id, rule_location,
        reason, priority, customer_name, locale, context, waiting_since, status, agent, offered_utc, accepted_utc, ended_utc,
        last_customer_utc, outcome, version
        """;

    public Task InsertEntryAsync(HandoffEntry entry, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = $"""
            INSERT INTO hub_entries ({EntryColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
              $17, $18, $19, $20, $21, $22, $23, $24)
            """;
        BindEntry(command, entry);
        return command.ExecuteNonQueryAsync();
    }, cancellationToken);

    public Task<bool> UpdateEntryAsync(HandoffEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        if (entry.Version != expectedVersion + 1) throw new ArgumentException("The new version must be expectedVersion + 1.", nameof(entry));
        // INVARIANT: a stale version changes no row, so the conflict is this write's answer.
        return WriteAsync(async command =>
        {
            command.CommandText = """
                UPDATE hub_entries SET queue = $8, priority = $12, customer_name = $13, status = $17, agent = $18, offered_utc = $19,
                  accepted_utc = $20, ended_utc = $21, last_customer_utc = $22, outcome = $23, version = $24, context = $15
                WHERE id = $1 AND version = $25
                """;
            BindEntry(command, entry);
            command.Parameters.Add(Value(expectedVersion));
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    static void BindEntry(NpgsqlCommand c, HandoffEntry e)
    {
        c.Parameters.Add(Text(e.Id));
        c.Parameters.Add(Text(e.ConversationKey));
        c.Parameters.Add(Text(e.ConversationId));
        c.Parameters.Add(Text(e.ChannelId));
        c.Parameters.Add(Text(e.ScenarioId));
        c.Parameters.Add(Text(e.ScenarioVersion));
        c.Parameters.Add(Text(e.UserId));
        c.Parameters.Add(Text(e.Queue));
        c.Parameters.Add(Text(e.RuleId));
        c.Parameters.Add(Text(e.RuleLocation));
        c.Parameters.Add(Text(e.Reason));
        c.Parameters.Add(Value(e.Priority));
        c.Parameters.Add(Text(e.CustomerName));
        c.Parameters.Add(Text(e.Locale));
        c.Parameters.Add(Value(JsonSerializer.SerializeToUtf8Bytes(e.Context)));
        c.Parameters.Add(Time(e.WaitingSinceUtc));
        c.Parameters.Add(Text(e.Status.ToString()));
        c.Parameters.Add(Text(e.Agent));
        c.Parameters.Add(Time(e.OfferedUtc));
        c.Parameters.Add(Time(e.AcceptedUtc));
        c.Parameters.Add(Time(e.EndedUtc));
        c.Parameters.Add(Time(e.LastCustomerActivityUtc));
        c.Parameters.Add(Text(e.Outcome));
        c.Parameters.Add(Value(e.Version));
    }

    static HandoffEntry ReadEntry(NpgsqlDataReader r)
    {
        using var context = JsonDocument.Parse(r.GetFieldValue<byte[]>(14));
        return new HandoffEntry(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), NullableString(r, 6),
            r.GetString(7), r.GetString(8), NullableString(r, 9), r.GetString(10), r.GetInt32(11), NullableString(r, 12), NullableString(r, 13),
            context.RootElement.Clone(), r.GetFieldValue<DateTimeOffset>(15), Enum.Parse<EntryStatus>(r.GetString(16)), NullableString(r, 17),
            NullableTime(r, 18), NullableTime(r, 19), NullableTime(r, 20), r.GetFieldValue<DateTimeOffset>(21), NullableString(r, 22), r.GetInt64(23));
    }

    public async Task<HandoffEntry?> GetEntryAsync(string id, CancellationToken cancellationToken)
    {
        var list = await QueryAsync($"SELECT {EntryColumns} FROM hub_entries WHERE id = $1", ReadEntry, cancellationToken, Text(id)).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<HandoffEntry>> ListOpenEntriesAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {EntryColumns} FROM hub_entries WHERE status IN ('Waiting', 'Offered', 'Assigned') ORDER BY waiting_since, id", ReadEntry, cancellationToken);

    public Task<IReadOnlyList<HandoffEntry>> ListEndedEntriesAsync(string? scenarioId, string? userId, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"""
            SELECT {EntryColumns} FROM hub_entries
            WHERE status NOT IN ('Waiting', 'Offered', 'Assigned') AND ($1::text IS NULL OR scenario_id = $1) AND ($2::text IS NULL OR user_id = $2)
            ORDER BY ended_utc DESC NULLS LAST, id LIMIT $3
            """, ReadEntry, cancellationToken, Text(scenarioId), Text(userId), Value(limit));

    public Task<EntryNote> AddNoteAsync(string entryId, string author, string text, bool whisper, DateTimeOffset atUtc, CancellationToken cancellationToken) => WriteAsync(async command =>
    {
        command.CommandText = "INSERT INTO hub_notes (entry_id, author, text, whisper, at_utc) VALUES ($1, $2, $3, $4, $5) RETURNING id";
        command.Parameters.Add(Text(entryId));
        command.Parameters.Add(Text(author));
        command.Parameters.Add(Text(text));
        command.Parameters.Add(Value(whisper));
        command.Parameters.Add(Time(atUtc));
        var id = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        return new EntryNote(id, entryId, author, text, whisper, atUtc);
    }, cancellationToken);

    public Task<IReadOnlyList<EntryNote>> ListNotesAsync(string entryId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT id, entry_id, author, text, whisper, at_utc FROM hub_notes WHERE entry_id = $1 ORDER BY id",
            r => new EntryNote(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetFieldValue<DateTimeOffset>(5)),
            cancellationToken, Text(entryId));

    public Task<bool> InsertTicketAsync(Ticket ticket, CancellationToken cancellationToken) => WriteAsync(async command =>
    {
        command.CommandText = $"""
            INSERT INTO hub_tickets ({TicketColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, NULL, NULL, NULL)
            ON CONFLICT (number) DO NOTHING
            """;
        command.Parameters.Add(Text(ticket.Number));
        command.Parameters.Add(Text(ticket.ConversationKey));
        command.Parameters.Add(Text(ticket.ScenarioId));
        command.Parameters.Add(Text(ticket.Kind));
        command.Parameters.Add(Text(ticket.Contact));
        command.Parameters.Add(Text(ticket.PreferredTime));
        command.Parameters.Add(Text(ticket.Note));
        command.Parameters.Add(Text(ticket.Queue));
        command.Parameters.Add(Value(JsonSerializer.SerializeToUtf8Bytes(ticket.Context)));
        command.Parameters.Add(Time(ticket.CreatedUtc));
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
    }, cancellationToken);

    const string TicketColumns = "number, conversation_key, scenario_id, kind, contact, preferred_time, note, queue, context, created_utc, closed, closed_by, closed_utc, resolution";

    public async Task<Ticket?> GetTicketAsync(string number, CancellationToken cancellationToken)
    {
        var list = await QueryAsync($"SELECT {TicketColumns} FROM hub_tickets WHERE number = $1", ReadTicket, cancellationToken, Text(number)).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<Ticket>> ListTicketsAsync(bool includeClosed, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {TicketColumns} FROM hub_tickets WHERE $1 OR NOT closed ORDER BY created_utc DESC LIMIT $2", ReadTicket, cancellationToken, Value(includeClosed), Value(limit));

    public Task<Ticket?> CloseTicketAsync(string number, string closedBy, string? resolution, DateTimeOffset atUtc, CancellationToken cancellationToken) => WriteAsync(async command =>
    {
        command.CommandText = $"""
            UPDATE hub_tickets SET closed = true, closed_by = $2, closed_utc = $3, resolution = $4
            WHERE number = $1 AND NOT closed RETURNING {TicketColumns}
            """;
        command.Parameters.Add(Text(number));
        command.Parameters.Add(Text(closedBy));
        command.Parameters.Add(Time(atUtc));
        command.Parameters.Add(Text(resolution));
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? ReadTicket(reader) : null;
    }, cancellationToken);

    static Ticket ReadTicket(NpgsqlDataReader r)
    {
        using var context = JsonDocument.Parse(r.GetFieldValue<byte[]>(8));
        return new Ticket(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NullableString(r, 4), NullableString(r, 5),
            NullableString(r, 6), NullableString(r, 7), context.RootElement.Clone(), r.GetFieldValue<DateTimeOffset>(9), r.GetBoolean(10),
            NullableString(r, 11), NullableTime(r, 12), NullableString(r, 13));
    }

    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken) => WriteAsync(command =>
    {
        command.CommandText = "INSERT INTO hub_audit (at_utc, actor, action, conversation_key, entry_id, detail) VALUES ($1, $2, $3, $4, $5, $6)";
        command.Parameters.Add(Time(record.AtUtc));
        command.Parameters.Add(Text(record.Actor));
        command.Parameters.Add(Text(record.Action));
        command.Parameters.Add(Text(record.ConversationKey));
        command.Parameters.Add(Text(record.EntryId));
        command.Parameters.Add(Text(record.Detail));
        return command.ExecuteNonQueryAsync();
    }, cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
        QueryAsync("""
            SELECT id, at_utc, actor, action, conversation_key, entry_id, detail FROM hub_audit
            WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR conversation_key = $2) AND ($3::timestamptz IS NULL OR at_utc >= $3)
            ORDER BY id DESC LIMIT $4
            """,
            r => new AuditRecord(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), NullableString(r, 4), NullableString(r, 5), NullableString(r, 6)),
            cancellationToken, Text(query.Actor), Text(query.ConversationKey), Time(query.SinceUtc), Value(Math.Clamp(query.Limit, 1, 10_000)));

    async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(read(reader));
        return list;
    }

    /// <summary>Queues <paramref name="execute"/> for the writer; the task completes once it is committed.</summary>
    Task<T> WriteAsync<T>(Func<NpgsqlCommand, Task<T>> execute, CancellationToken cancellationToken)
    {
        // Once queued the write is not cancelled halfway: it commits or fails as a whole.
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(execute);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(pending), this);
        return pending.Completion.Task;
    }

    async Task WriteLoopAsync()
    {
        NpgsqlConnection? connection = null;
        await foreach (var write in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                connection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                await write.ExecuteAsync(command).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A broken connection is replaced for the next write; a constraint failure leaves it usable.
                if (connection is { FullState: not System.Data.ConnectionState.Open })
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
                write.Fail(e);
            }
        }
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
    }

    static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    abstract class PendingWrite
    {
        public abstract Task ExecuteAsync(NpgsqlCommand command);

        public abstract void Fail(Exception e);
    }

    sealed class PendingWrite<T>(Func<NpgsqlCommand, Task<T>> execute) : PendingWrite
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task ExecuteAsync(NpgsqlCommand command) => Completion.TrySetResult(await execute(command).ConfigureAwait(false));

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }
}
