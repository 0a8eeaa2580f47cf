using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

/// <summary>
/// The file's table layout, versioned by <c>PRAGMA user_version</c> and brought up to date when a store opens the file.
/// Layout 1 (docs/performance.md, "Session 5: the SQLite layout") keeps every per-turn row where the B-trees grow: a
/// conversation gets an increasing number when it is created (<c>conversation_keys</c>, the only place its text key is
/// indexed), its row, its activities (one row per turn) and its turn log are keyed by that number, and the time columns
/// are ticks. The conversations a server is busy with are all recent, so one commit dirties a few pages at the right
/// edge instead of a different leaf per row. Layout 0 (before) kept three tables keyed by the text key. The number is
/// SQLite's rowid without AUTOINCREMENT (no sequence row written per new conversation): a number expiry freed may be
/// given again, but only once no row names it any more.
/// </summary>
public sealed partial class SqliteConversationStore
{
    /// <summary>The layout this code reads and writes.</summary>
    public const int LayoutVersion = 1;

    /// <summary>A conversation's activities from a layout-0 file are packed into rows of at most this many.</summary>
    const int MigratedActivitiesPerRow = 16;

    /// <summary>The tables of the layout; <see cref="LayoutIndexes"/> follow (a conversion builds them after copying the rows).</summary>
    const string LayoutTables = """
        CREATE TABLE conversation_keys (
          id INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE conversations (
          id INTEGER PRIMARY KEY,
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
          created_utc INTEGER NOT NULL,
          updated_utc INTEGER NOT NULL
        );
        CREATE TABLE activities (
          conversation INTEGER NOT NULL,
          last_seq INTEGER NOT NULL,
          count INTEGER NOT NULL,
          data BLOB NOT NULL
        );
        CREATE TABLE turns (
          conversation INTEGER NOT NULL,
          turn INTEGER NOT NULL,
          at_utc INTEGER NOT NULL,
          scenario_id TEXT NOT NULL,
          scenario_version TEXT NOT NULL,
          json BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS packages (
          scenario_id TEXT NOT NULL,
          version TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          package BLOB NOT NULL,
          PRIMARY KEY (scenario_id, version)
        ) WITHOUT ROWID;
        """;

    const string LayoutIndexes = """
        CREATE INDEX conversations_by_update ON conversations (updated_utc);
        CREATE INDEX activities_by_conversation ON activities (conversation, last_seq);
        CREATE UNIQUE INDEX turns_by_conversation ON turns (conversation, turn);
        CREATE INDEX turns_by_time ON turns (at_utc);
        """;

    /// <summary>
    /// Creates the tables of a new file, or converts a file of an older layout, in one transaction under SQLite's write
    /// lock (<c>BEGIN IMMEDIATE</c>): a second process opening the file at the same moment (<c>scenariokit purge</c>
    /// beside <c>serve</c>) waits, then finds the version already current and sees no half-converted file.
    /// </summary>
    static void EnsureLayout(SqliteConnection connection)
    {
        if (ReadLayoutVersion(connection, null) == LayoutVersion) return;
        // The conversion wrote every row to the WAL: fold it into the file and truncate it, so the WAL does not keep a
        // second copy of the data on disk.
        if (UpgradeLayout(connection)) Execute(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// <summary>Brings the layout up to date under the write lock; true when rows were converted.</summary>
    static bool UpgradeLayout(SqliteConnection connection)
    {
        using var transaction = BeginImmediateWaiting(connection);
        // Read again under the lock: another process may have converted the file while this one waited.
        var version = ReadLayoutVersion(connection, transaction);
        if (version == LayoutVersion) return false;
        if (version > LayoutVersion)
            throw new StoreLayoutException(connection.DataSource, version, LayoutVersion);
        var converted = false;
        // A file restored from sqlite3's .dump has the current tables but version 0 (.dump does not write user_version):
        // only the version is set then.
        if (!TableExists(connection, transaction, "conversation_keys"))
        {
            converted = TableExists(connection, transaction, "conversations");
            if (converted) MigrateFromLayout0(connection, transaction);
            else Execute(connection, transaction, LayoutTables + LayoutIndexes);
        }
        Execute(connection, transaction, $"PRAGMA user_version = {LayoutVersion}");
        transaction.Commit();
        return converted;
    }

    /// <summary>
    /// <c>BEGIN IMMEDIATE</c>, waiting as long as another connection holds the write lock. A busy <c>BEGIN</c> is
    /// retried only for the command timeout (30 s), and converting a big file in another process takes minutes: this
    /// open waits for it rather than fail with "database is locked".
    /// </summary>
    static SqliteTransaction BeginImmediateWaiting(SqliteConnection connection)
    {
        const int SqliteBusy = 5;
        while (true)
        {
            try
            {
                return connection.BeginTransaction(deferred: false);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteBusy)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    static long ReadLayoutVersion(SqliteConnection connection, SqliteTransaction? transaction) =>
        Scalar(connection, transaction, "PRAGMA user_version");

    static bool TableExists(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var command = Command(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name");
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// Layout 0 → 1. Conversations are numbered in the order they were last active (the busiest at the right edge),
    /// every key that only the turn log or the activity log still names keeps its rows, and ISO times become ticks.
    /// </summary>
    static void MigrateFromLayout0(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, transaction, """
            DROP INDEX IF EXISTS conversations_by_update;
            DROP INDEX IF EXISTS turns_by_time;
            ALTER TABLE conversations RENAME TO conversations_layout0;
            ALTER TABLE activities RENAME TO activities_layout0;
            ALTER TABLE turns RENAME TO turns_layout0;
            """);
        Execute(connection, transaction, LayoutTables);
        Execute(connection, transaction, """
            INSERT INTO conversation_keys (key)
            SELECT key FROM (
              SELECT key, updated_utc AS at FROM conversations_layout0
              UNION ALL SELECT key, max(at_utc) FROM turns_layout0 GROUP BY key
              UNION ALL SELECT key, '' FROM activities_layout0 GROUP BY key)
            GROUP BY key ORDER BY max(at), key;
            """);

        using (var read = Command(connection, transaction, """
            SELECT k.id, c.conversation_id, c.channel_id, c.scenario_id, c.scenario_version, c.user_id, c.state, c.version,
                   c.last_seq, c.started, c.with_agent, c.created_utc, c.updated_utc
            FROM conversations_layout0 c JOIN conversation_keys k ON k.key = c.key ORDER BY k.id
            """))
        using (var write = Command(connection, transaction, """
            INSERT INTO conversations (id, conversation_id, channel_id, scenario_id, scenario_version, user_id, state, version,
                   last_seq, started, with_agent, created_utc, updated_utc)
            VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """))
        {
            CopyRows(read, write, 13, (reader, values) =>
            {
                for (var i = 0; i <= 10; i++) values[i] = reader.GetValue(i);
                values[11] = TicksOf(reader.GetString(11));
                values[12] = TicksOf(reader.GetString(12));
            });
        }

        using (var read = Command(connection, transaction, """
            SELECT k.id, t.turn, t.at_utc, t.scenario_id, t.scenario_version, t.json
            FROM turns_layout0 t CROSS JOIN conversation_keys k ON k.key = t.key ORDER BY t.key, t.turn
            """))
        using (var write = Command(connection, transaction, """
            INSERT INTO turns (conversation, turn, at_utc, scenario_id, scenario_version, json) VALUES ($0, $1, $2, $3, $4, $5)
            """))
        {
            CopyRows(read, write, 6, (reader, values) =>
            {
                for (var i = 0; i <= 5; i++) values[i] = reader.GetValue(i);
                values[2] = TicksOf(reader.GetString(2));
            });
        }

        MigrateActivities(connection, transaction);
        Execute(connection, transaction, """
            DROP TABLE conversations_layout0;
            DROP TABLE activities_layout0;
            DROP TABLE turns_layout0;
            """);
        Execute(connection, transaction, LayoutIndexes);
    }

    /// <summary>Layout 0 kept no turn boundaries: each conversation's activities are packed in rows of up to <see cref="MigratedActivitiesPerRow"/>.</summary>
    static void MigrateActivities(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var read = Command(connection, transaction, """
            SELECT k.id, a.seq, a.type, a.json FROM activities_layout0 a CROSS JOIN conversation_keys k ON k.key = a.key ORDER BY a.key, a.seq
            """);
        using var write = Command(connection, transaction, "INSERT INTO activities (conversation, last_seq, count, data) VALUES ($0, $1, $2, $3)");
        var parameters = AddParameters(write, 4);
        var row = new List<StoredActivity>(MigratedActivitiesPerRow);
        long conversation = 0;
        void Flush()
        {
            if (row.Count == 0) return;
            parameters[0].Value = conversation;
            parameters[1].Value = row[^1].Seq;
            parameters[2].Value = row.Count;
            parameters[3].Value = PackedActivities.Pack(row);
            write.ExecuteNonQuery();
            row.Clear();
        }
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            if (id != conversation || row.Count == MigratedActivitiesPerRow) Flush();
            conversation = id;
            row.Add(new StoredActivity(reader.GetInt64(1), reader.GetString(2), (byte[])reader.GetValue(3)));
        }
        Flush();
    }

    /// <summary>Every row <paramref name="read"/> yields, converted to <paramref name="columns"/> values, inserted by <paramref name="write"/>.</summary>
    static void CopyRows(SqliteCommand read, SqliteCommand write, int columns, Action<SqliteDataReader, object[]> convert)
    {
        var parameters = AddParameters(write, columns);
        var values = new object[parameters.Length];
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            convert(reader, values);
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i];
            write.ExecuteNonQuery();
        }
    }

    /// <summary>Parameters <c>$0</c>…, typed by the value each is given.</summary>
    static SqliteParameter[] AddParameters(SqliteCommand command, int count) =>
        [.. Enumerable.Range(0, count).Select(i => command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value)))];

    static long TicksOf(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).UtcTicks;

    static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
