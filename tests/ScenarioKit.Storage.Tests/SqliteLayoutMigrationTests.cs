using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ScenarioKit.Storage;

namespace ScenarioKit.Storage.Tests;

/// <summary>
/// A file written by the store's layout 0 (three tables keyed by the conversation's text key, ISO times; the DDL below is
/// a copy of what that store created) is converted when the current store opens it, and reads back the same.
/// </summary>
public sealed class SqliteLayoutMigrationTests : IDisposable
{
    const string Layout0Ddl = """
        PRAGMA journal_mode=WAL;
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
        """;

    static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 30, 8, 15, 30, TimeSpan.Zero).AddTicks(1234567);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-layout-" + Guid.NewGuid().ToString("N"));

    string Database => Path.Combine(_folder, "scenariokit.db");

    /// <summary>Layout-0 rows: two conversations (one in Japanese, one with more activities than a migrated row packs), a turn-log key whose conversation row is gone, and a package.</summary>
    static readonly ConversationRecord Japanese = new("directline/会話-1", "会話-1", "directline", "retail", "1.0.0", null,
        Encoding.UTF8.GetBytes("""{"stage":"注文","slots":{"名前":"山田"}}"""), 2, 3, true, true, T0, T0.AddMinutes(2));

    static readonly ConversationRecord Long = new("msteams/c-2", "c-2", "msteams", "billing", "2.1.0", "user-2",
        Encoding.UTF8.GetBytes("{}"), 20, 20, true, false, T0.AddHours(-1), T0.AddMinutes(-5));

    static StoredActivity ActivityOf(long seq, string text, string type = "message") =>
        new(seq, type, Encoding.UTF8.GetBytes($$"""{"type":"{{type}}","text":"{{text}}"}"""));

    static readonly StoredActivity[] JapaneseActivities = [ActivityOf(1, "こんにちは"), ActivityOf(2, "ご注文番号をどうぞ"), ActivityOf(3, "", "typing")];

    static readonly StoredActivity[] LongActivities = [.. Enumerable.Range(1, 20).Select(i => ActivityOf(i, "line " + i))];

    static readonly TurnLogEntry[] Turns =
    [
        new("directline/会話-1", 1, T0.AddMinutes(1), "retail", "1.0.0", Encoding.UTF8.GetBytes("""{"text":"こんにちは"}""")),
        new("directline/会話-1", 2, T0.AddMinutes(2), "retail", "1.0.0", Encoding.UTF8.GetBytes("""{"text":"注文"}""")),
        new("gone/c-0", 1, T0.AddDays(-2), "retail", "0.9.0", Encoding.UTF8.GetBytes("""{"text":"old"}""")),
        new("msteams/c-2", 20, T0.AddMinutes(-5), "billing", "2.1.0", Encoding.UTF8.GetBytes("""{"text":"line 20"}""")),
    ];

    void WriteLayout0File()
    {
        Directory.CreateDirectory(_folder);
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        Run(connection, Layout0Ddl);
        foreach (var c in new[] { Japanese, Long })
        {
            Run(connection, """
                INSERT INTO conversations VALUES ($key, $conversation_id, $channel_id, $scenario_id, $scenario_version, $user_id, $state,
                       $version, $last_seq, $started, $with_agent, $created, $updated)
                """,
                ("$key", c.Key), ("$conversation_id", c.ConversationId), ("$channel_id", c.ChannelId), ("$scenario_id", c.ScenarioId),
                ("$scenario_version", c.ScenarioVersion), ("$user_id", (object?)c.UserId ?? DBNull.Value), ("$state", c.State.ToArray()),
                ("$version", c.Version), ("$last_seq", c.LastSeq), ("$started", c.Started ? 1 : 0), ("$with_agent", c.WithAgent ? 1 : 0),
                ("$created", Iso(c.CreatedUtc)), ("$updated", Iso(c.UpdatedUtc)));
        }
        foreach (var (key, activities) in new[] { (Japanese.Key, JapaneseActivities), (Long.Key, LongActivities) })
        {
            foreach (var a in activities)
                Run(connection, "INSERT INTO activities VALUES ($key, $seq, $type, $json)", ("$key", key), ("$seq", a.Seq), ("$type", a.Type), ("$json", a.Json.ToArray()));
        }
        foreach (var t in Turns)
        {
            Run(connection, "INSERT INTO turns VALUES ($key, $turn, $at, $scenario_id, $scenario_version, $json)",
                ("$key", t.Key), ("$turn", t.Turn), ("$at", Iso(t.AtUtc)), ("$scenario_id", t.ScenarioId), ("$scenario_version", t.ScenarioVersion), ("$json", t.Json.ToArray()));
        }
        Run(connection, "INSERT INTO packages VALUES ('retail', '1.0.0', 'h1', x'010203')");
    }

    [Fact]
    public async Task A_layout_0_file_reads_back_the_same_after_the_store_converts_it()
    {
        WriteLayout0File();

        await using (var store = new SqliteConversationStore(Database))
        {
            await AssertReadsBackAsync(store);
            Assert.Equal(SqliteConversationStore.LayoutVersion, UserVersion());
            Assert.Equal(["activities", "conversation_keys", "conversations", "packages", "turns"], Tables());
        }
        // Opened again: nothing left to convert, the same rows.
        await using (var store = new SqliteConversationStore(Database)) await AssertReadsBackAsync(store);
    }

    [Fact]
    public async Task A_converted_conversation_goes_on_and_expires_as_before()
    {
        WriteLayout0File();
        await using var store = new SqliteConversationStore(Database);

        var next = Japanese with { Version = 3, LastSeq = 4, UpdatedUtc = T0.AddMinutes(3) };
        await store.SaveAsync(new TurnWrite(next, 2, [ActivityOf(4, "ありがとう")])
        {
            Turn = new TurnLogEntry(Japanese.Key, 3, T0.AddMinutes(3), "retail", "1.0.0", Encoding.UTF8.GetBytes("{}")),
        }, Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(new TurnWrite(Long with { Version = 20 }, 19, []), Ct));

        Assert.Equal([1L, 2L, 3L, 4L], (await store.ReadActivitiesAsync(Japanese.Key, 0, 100, Ct)).Select(a => a.Seq));
        // The turn log older than a day goes (with the number of the key that only it still named); activity JSON idle for a minute goes.
        var result = await store.ExpireAsync(T0.AddMinutes(2), T0.AddDays(-1), Ct);
        Assert.Equal(new RetentionResult(0, 20, 1), result);
        Assert.Empty(await store.ReadActivitiesAsync(Long.Key, 0, 100, Ct));
        Assert.Equal(4, (await store.ReadActivitiesAsync(Japanese.Key, 0, 100, Ct)).Count);
        Assert.Equal(2, Count("SELECT count(*) FROM conversation_keys"));
    }

    [Fact]
    public async Task Two_processes_opening_a_layout_0_file_at_once_convert_it_once()
    {
        WriteLayout0File();

        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => new SqliteConversationStore(Database))));
        try
        {
            foreach (var store in stores) await AssertReadsBackAsync(store);
            Assert.Equal(3, Count("SELECT count(*) FROM conversation_keys"));
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_file_of_a_newer_layout_is_refused_with_its_path()
    {
        Directory.CreateDirectory(_folder);
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            Run(connection, $"PRAGMA user_version = {SqliteConversationStore.LayoutVersion + 1}");
        }

        var error = Assert.Throws<StoreLayoutException>(() => new SqliteConversationStore(Database));

        Assert.Contains(Database, error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal(SqliteConversationStore.LayoutVersion + 1, error.FileLayout);
        // The refused file is not held open: it can be fixed and opened again.
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            Run(connection, "PRAGMA user_version = 0");
        }
        await using var store = new SqliteConversationStore(Database);
        Assert.Equal(SqliteConversationStore.LayoutVersion, UserVersion());
    }

    [Fact]
    public async Task A_file_whose_tables_the_writer_cannot_use_fails_the_open_instead_of_every_later_turn()
    {
        Directory.CreateDirectory(_folder);
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            // Layout 1 by its version, but a table the writer's statements need is missing.
            Run(connection, $"CREATE TABLE conversation_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE); PRAGMA user_version = {SqliteConversationStore.LayoutVersion}");
        }

        var open = Task.Run(() => new SqliteConversationStore(Database), Ct);
        var error = await Assert.ThrowsAsync<SqliteException>(() => open.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Contains("no such table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_restored_from_a_dump_keeps_its_tables_and_gets_its_version()
    {
        await using (var store = new SqliteConversationStore(Database))
            await store.SaveAsync(new TurnWrite(Japanese with { Version = 1 }, 0, JapaneseActivities), Ct);
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            // sqlite3's .dump writes the tables and rows but not user_version.
            Run(connection, "PRAGMA user_version = 0");
        }

        await using var reopened = new SqliteConversationStore(Database);

        Assert.Equal(SqliteConversationStore.LayoutVersion, UserVersion());
        AssertSameActivities(JapaneseActivities, await reopened.ReadActivitiesAsync(Japanese.Key, 0, 100, Ct));
    }

    static async Task AssertReadsBackAsync(SqliteConversationStore store)
    {
        foreach (var c in new[] { Japanese, Long })
        {
            var read = await store.GetAsync(c.Key, Ct);
            Assert.NotNull(read);
            Assert.Equal(c with { State = default }, read with { State = default });
            Assert.Equal(c.State.ToArray(), read.State.ToArray());
        }
        Assert.Null(await store.GetAsync("gone/c-0", Ct));

        AssertSameActivities(JapaneseActivities, await store.ReadActivitiesAsync(Japanese.Key, 0, 100, Ct));
        AssertSameActivities(LongActivities, await store.ReadActivitiesAsync(Long.Key, 0, 100, Ct));
        // Direct Line replay from a watermark, across the rows the conversion packed.
        AssertSameActivities(LongActivities[15..18], await store.ReadActivitiesAsync(Long.Key, 15, 3, Ct));

        var turns = new List<TurnLogEntry>();
        await foreach (var t in store.ReadTurnsAsync(new TurnLogQuery(), Ct)) turns.Add(t);
        var expected = Turns.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Turn).ToList();
        Assert.Equal(expected.Select(t => (t.Key, t.Turn, t.AtUtc, t.ScenarioId, t.ScenarioVersion)), turns.Select(t => (t.Key, t.Turn, t.AtUtc, t.ScenarioId, t.ScenarioVersion)));
        Assert.Equal(expected.Select(t => t.Json.ToArray()), turns.Select(t => t.Json.ToArray()));

        Assert.Equal([Japanese.Key, Long.Key], (await store.ListActiveAsync(T0.AddHours(-2), false, 10, Ct)).Select(c => c.Key));
        Assert.Equal([1, 2, 3], await store.GetPackageAsync("retail", "1.0.0", Ct));
    }

    static void AssertSameActivities(IEnumerable<StoredActivity> expected, IReadOnlyList<StoredActivity> actual) =>
        Assert.Equal(expected.Select(a => (a.Seq, a.Type, Encoding.UTF8.GetString(a.Json.Span))), actual.Select(a => (a.Seq, a.Type, Encoding.UTF8.GetString(a.Json.Span))));

    long UserVersion() => Count("PRAGMA user_version");

    List<string> Tables()
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    static void Run(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
