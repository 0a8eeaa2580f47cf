using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScenarioKit.Storage;

public sealed partial class SqliteConversationStore
{
    /// <summary>
    /// Copies the WAL into the database file on a thread of its own, so the serial writer does not. SQLite's automatic
    /// checkpoint runs inside the commit that crosses its threshold: the writer thread copied a thousand pages and synced
    /// the database file while every turn queued behind it waited (docs/performance.md, "Session 7: the writer"). Here
    /// the writer only signals every <see cref="TurnsPerPass"/> committed turns, and this thread runs a PASSIVE
    /// checkpoint beside the writer's next commits (SQLite lets one checkpoint run while a writer appends to the WAL).
    /// </summary>
    /// <remarks>
    /// A WAL starts again from its beginning only when a write transaction begins with every frame copied, and a
    /// checkpoint running beside a busy writer is always a few commits behind. So when a pass finds the WAL longer than
    /// <see cref="RestartFrames"/>, it asks the writer for one checkpoint of its own after its next commit: that copies
    /// only the frames since this pass and lets the following transaction restart the WAL; the commit after a restart
    /// truncates a WAL file that grew beyond <see cref="RestartFrames"/> (<c>journal_size_limit</c>).
    /// Durability is unchanged: a commit is synced to the WAL before it is acknowledged, whichever thread copies it later.
    /// </remarks>
    sealed class WalCheckpointer : IDisposable
    {
        /// <summary>
        /// Committed turns between two passes (≈ 3,000 WAL frames of reference turns). A page the busy turns dirty again and
        /// again (the B-trees' right edges, the live conversations' rows) is copied once per pass: every 1,024 turns cost
        /// the checkpoint thread 5–6 µs per turn, every 256 turns 9–10 (docs/performance.md, "Session 7: the writer").
        /// </summary>
        const int TurnsPerPass = 1024;

        /// <summary>A WAL this long (frames of 4 KiB: 32 MiB) is restarted by the writer's own checkpoint.</summary>
        const int RestartFrames = 8192;

        readonly SqliteConnection _connection;
        readonly SemaphoreSlim _due = new(0, 1);
        readonly Thread _thread;
        volatile bool _stopping;
        volatile bool _restartWanted;
        int _turnsSincePass;

        /// <summary>Turns the automatic checkpoint of <paramref name="writer"/> off and starts the checkpoint thread.</summary>
        public WalCheckpointer(SqliteConnection writer, string connectionString)
        {
            Execute(writer, null, $"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={RestartFrames * 4096L}");
            // Not pooled: the connection lives as long as the store and is closed with it.
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            try
            {
                _connection.Open();
                // A connection that has read nothing has not opened the WAL yet, and its checkpoints would do nothing.
                Execute(_connection, null, "SELECT count(*) FROM sqlite_master");
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
            _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoint" };
            _thread.Start();
        }

        /// <summary>On the writer thread, after a commit of <paramref name="turns"/> turns: wakes the checkpoint thread when a pass is due.</summary>
        public void Committed(SqliteConnection writer, int turns)
        {
            if (_restartWanted)
            {
                _restartWanted = false;
                // Busy (a pass is running) or cut short by a reader: the next pass asks again.
                raw.sqlite3_wal_checkpoint_v2(writer.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
            }
            _turnsSincePass += turns;
            if (_turnsSincePass < TurnsPerPass) return;
            _turnsSincePass = 0;
            // Already signalled and not yet taken: the pass that is due will copy these frames too. Only this thread releases.
            if (_due.CurrentCount == 0) _due.Release();
        }

        void Run()
        {
            while (true)
            {
                _due.Wait();
                if (_stopping) return;
                var result = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var walFrames, out _);
                if (result == raw.SQLITE_OK && walFrames >= RestartFrames) _restartWanted = true;
            }
        }

        /// <summary>After the writer thread has stopped; idempotent, as the store's own disposal.</summary>
        public void Dispose()
        {
            if (_stopping) return;
            _stopping = true;
            if (_due.CurrentCount == 0) _due.Release();
            _thread.Join();
            _connection.Dispose();
            _due.Dispose();
        }
    }
}
