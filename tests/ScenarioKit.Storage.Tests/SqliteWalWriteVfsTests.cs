using System.Text;
using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage.Tests;

/// <summary>
/// The VFS that writes a commit's WAL frames in one system call: what it leaves on disk and what other connections
/// see are what SQLite's own VFS gives, through cache spills, frames rewritten in a transaction, rollbacks and
/// checkpoints.
/// </summary>
public sealed class SqliteWalWriteVfsTests : IAsyncDisposable
{
    static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-walvfs-" + Guid.NewGuid().ToString("N"));

    const string NoteLetters = "会話の記録 note";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SqliteWalWriteVfsTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void The_same_transactions_leave_the_same_rows_with_and_without_it()
    {
        Assert.True(WalWriteVfs.Available);
        var plainPath = Path.Combine(_folder, "plain.db");
        var vfsPath = Path.Combine(_folder, "through-vfs.db");
        var (heldBefore, writtenBefore) = WalWriteVfs.Writes;
        using (var plain = Open(plainPath))
        using (var through = Open(WalWriteVfs.Uri(vfsPath)))
        {
            // A page cache of 8 pages: large transactions spill frames before their commit, and rows changed again
            // after a spill rewrite frames of the same transaction in place.
            const string Setup = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=8; PRAGMA wal_autocheckpoint=0;
                CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL, note TEXT NOT NULL);
                """;
            Execute(plain, Setup);
            Execute(through, Setup);
            var random = new Random(14);
            for (var round = 0; round < 250; round++)
            {
                var statements = new List<(string Sql, long Id, byte[] Body, string Note)>();
                var count = random.Next(1, 40);
                for (var i = 0; i < count; i++)
                {
                    var id = random.Next(200);
                    var body = new byte[random.Next(4) == 0 ? random.Next(20_000, 70_000) : random.Next(0, 3_000)];
                    random.NextBytes(body);
                    var note = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => NoteLetters[random.Next(NoteLetters.Length)]));
                    var sql = random.Next(6) switch
                    {
                        0 => "DELETE FROM t WHERE id = $id",
                        1 or 2 => "UPDATE t SET body = $body, note = $note WHERE id = $id",
                        _ => "INSERT INTO t (id, body, note) VALUES ($id, $body, $note) ON CONFLICT (id) DO UPDATE SET body = excluded.body, note = excluded.note",
                    };
                    statements.Add((sql, id, body, note));
                }
                var rollBack = random.Next(8) == 0;
                foreach (var connection in new[] { plain, through })
                {
                    using var transaction = connection.BeginTransaction();
                    foreach (var (sql, id, body, note) in statements) Execute(connection, sql, transaction, ("$id", id), ("$body", body), ("$note", note));
                    if (rollBack) transaction.Rollback();
                    else transaction.Commit();
                }
                if (round % 60 == 59)
                {
                    var mode = round % 120 == 59 ? "RESTART" : "TRUNCATE";
                    Execute(plain, $"PRAGMA wal_checkpoint({mode})");
                    Execute(through, $"PRAGMA wal_checkpoint({mode})");
                }
            }

            // Read while the VFS's connection is still open, through connections of SQLite's own VFS.
            Assert.Equal(Rows(plainPath), Rows(vfsPath));
        }
        Assert.Equal(Rows(plainPath), Rows(vfsPath));
        Assert.Equal("ok", Scalar(vfsPath, "PRAGMA integrity_check"));
        var (held, written) = WalWriteVfs.Writes;
        Assert.True(held - heldBefore > 1_000, $"{held - heldBefore} writes went through the VFS");
        // With 8 pages of cache nearly every statement reads the WAL back, which writes out what is held: here only a
        // frame's header and page become one write.
        Assert.True(written - writtenBefore < (held - heldBefore) * 3 / 4, $"{written - writtenBefore} system writes for {held - heldBefore} of SQLite's");
    }

    [Fact]
    public async Task Another_connection_sees_every_commit_once_it_returns_and_nothing_half_written()
    {
        var path = Path.Combine(_folder, "accounts.db");
        const int Accounts = 50, Total = 50_000, Commits = 600;
        using var writer = Open(WalWriteVfs.Uri(path));
        Execute(writer, """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
            CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL, padding BLOB);
            CREATE TABLE commits (n INTEGER NOT NULL);
            INSERT INTO commits VALUES (0);
            """);
        for (var i = 0; i < Accounts; i++) Execute(writer, "INSERT INTO accounts (id, balance) VALUES ($id, $b)", null, ("$id", i), ("$b", Total / Accounts));

        long acknowledged = 0;
        var done = false;
        var reads = 0;
        var reader = Task.Run(() =>
        {
            using var connection = Open(path);
            while (!Volatile.Read(ref done))
            {
                var before = Volatile.Read(ref acknowledged);
                using var transaction = connection.BeginTransaction(deferred: true);
                var n = Convert.ToInt64(Scalar(connection, "SELECT n FROM commits", transaction));
                var sum = Convert.ToInt64(Scalar(connection, "SELECT sum(balance) FROM accounts", transaction));
                Assert.True(n >= before, $"commit {before} had returned, the reader saw {n}");
                Assert.Equal(Total, sum);
                reads++;
            }
        }, Ct);

        var (heldBefore, writtenBefore) = WalWriteVfs.Writes;
        var random = new Random(7);
        for (var commit = 1; commit <= Commits; commit++)
        {
            using (var transaction = writer.BeginTransaction())
            {
                for (var move = 0; move < 5; move++)
                {
                    var amount = random.Next(1, 50);
                    var padding = new byte[random.Next(0, 40_000)];
                    Execute(writer, "UPDATE accounts SET balance = balance - $a, padding = $p WHERE id = $id", transaction, ("$a", amount), ("$p", padding), ("$id", random.Next(Accounts)));
                    Execute(writer, "UPDATE accounts SET balance = balance + $a WHERE id = $id", transaction, ("$a", amount), ("$id", random.Next(Accounts)));
                }
                Execute(writer, "UPDATE commits SET n = $n", transaction, ("$n", commit));
                transaction.Commit();
            }
            Volatile.Write(ref acknowledged, commit);
        }
        Volatile.Write(ref done, true);
        await reader;

        Assert.True(reads > 0);
        var (held, written) = WalWriteVfs.Writes;
        Assert.True(written - writtenBefore < (held - heldBefore) / 10, $"{written - writtenBefore} system writes for {held - heldBefore} of SQLite's");
        Assert.Equal((long)Commits, Convert.ToInt64(Scalar(path, "SELECT n FROM commits")));
    }

    [Fact]
    public async Task A_store_in_a_folder_whose_name_holds_URI_characters_opens_that_very_file()
    {
        var folder = Path.Combine(_folder, "会話 data#1%20?x");
        var path = Path.Combine(folder, "scenariokit.db");
        await using (var store = new SqliteConversationStore(path))
        {
            Assert.True(store.UsesWalWriteVfs);
            await store.SaveAsync(new TurnWrite(Record("directline/会話", 1), 0, [Activity(1, "こんにちは")]), Ct);
        }
        Assert.True(File.Exists(path));
        Assert.Equal(["scenariokit.db"], Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n!.EndsWith(".db", StringComparison.Ordinal)));
        await using (var store = new SqliteConversationStore(path))
        {
            Assert.Equal(1, (await store.GetAsync("directline/会話", Ct))!.Version);
            var activity = Assert.Single(await store.ReadActivitiesAsync("directline/会話", 0, 10, Ct));
            Assert.Contains("こんにちは", Encoding.UTF8.GetString(activity.Json.Span), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Only_a_store_that_syncs_every_commit_writes_through_it()
    {
        await using var full = new SqliteConversationStore(Path.Combine(_folder, "full.db"));
        await using var normal = new SqliteConversationStore(Path.Combine(_folder, "normal.db"), fullSync: false);
        Assert.True(full.UsesWalWriteVfs);
        // Without a sync at each commit, frames held here could be in the WAL index before they are in the file.
        Assert.False(normal.UsesWalWriteVfs);
    }

    static SqliteConnection Open(string dataSource)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataSource, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    static object? Scalar(string path, string sql)
    {
        using var connection = Open(path);
        return Scalar(connection, sql);
    }

    static List<string> Rows(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, hex(body), note FROM t ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)} {reader.GetString(2)}");
        return rows;
    }

    static ConversationRecord Record(string key, long version) =>
        new(key, "conv-" + key, "directline", "retail", "1.0.0", "user-1", "{}"u8.ToArray(), version, version, true, false, Start, Start.AddMinutes(version));

    static StoredActivity Activity(long seq, string text) =>
        new(seq, "message", Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{text}}"}"""));

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
