using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScenarioKit.Storage;

public sealed partial class SqliteConversationStore
{
    /// <summary>
    /// Copies the WAL into the database file on a thread of its own, so the serial writer does not. SQLite's automatic
    /// checkpoint runs inside the commit that crosses its threshold: the writer thread copied a thousand pages and synced
    /// the database file while every turn queued behind it waited (docs/performance.md, "Session 7: the writer"). Here
    /// the writer only signals every <see cref="_turnsPerPass"/> committed turns, and this thread runs a PASSIVE
    /// checkpoint beside the writer's next commits (SQLite lets one checkpoint run while a writer appends to the WAL).
    /// </summary>
    /// <remarks>
    /// <para>
    /// A WAL starts again from its beginning only when a write transaction begins with every frame copied, and a
    /// checkpoint running beside a busy writer is always a few commits behind. So when a pass finds the WAL longer than
    /// the restart length, this thread first catches up (passes back to back, each copying what the writer appended
    /// during the one before, until one copies little), then asks the writer for one checkpoint of its own after its
    /// next commit: that copies the last few commits' frames and lets the following transaction restart the WAL.
    /// </para>
    /// <para>
    /// Every commit waits while the writer checkpoints, so under load that stop is what a turn's p99 sees: after an
    /// ordinary pass it copied ≈ 2,000 frames and, with the WAL cut back to 32 MiB at each restart, took 15–30 ms every
    /// ≈ 0.4 s (docs/performance.md, "Session 10: the WAL's restart"). Now it copies tens of frames, comes 4× less often
    /// (128 MiB), and the restarted WAL is reused in place: <c>journal_size_limit</c> is twice the restart length, so
    /// only a WAL that grew past that (a reader holding an old snapshot) is cut back. A WAL restarts on its own when the
    /// writer pauses (any moment without load), so it reaches this length only under sustained load.
    /// Durability is unchanged: a commit is synced to the WAL before it is acknowledged, whichever thread copies it later.
    /// </para>
    /// </remarks>
    sealed class WalCheckpointer : IDisposable
    {
        /// <summary>A WAL this long (frames of 4 KiB: 128 MiB) is restarted by the writer's own checkpoint.</summary>
        public const int DefaultRestartFrames = 32768;

        /// <summary>
        /// A catch-up pass that copied fewer frames than this (1 MiB) leaves the writer's checkpoint a few commits' frames.
        /// </summary>
        const int CaughtUpFrames = 256;

        /// <summary>A reader holding an old snapshot keeps every pass short of the WAL's end; the writer is asked anyway after these.</summary>
        const int MaxCatchUpPasses = 8;

        /// <summary>
        /// Committed turns between two passes (256: ≈ 500 WAL frames of reference turns; fewer for a short restart length,
        /// in tests). A pass writes what it copies into the file and syncs it, and a commit's own sync waits behind that
        /// burst: every 1,024 turns (≈ 8 MB a pass) the commits' p99 was 4 ms and the turns' worst 50–65 ms, every 256
        /// turns the turns' worst fell to 20–38 ms and their p99 by 2 ms for the same CPU (≈ 7 µs per turn on this thread;
        /// docs/performance.md, "Session 10: the WAL's restart"). A page the busy turns dirty again and again is copied
        /// once per pass, so passes far apart copy less in all (session 7 chose 1,024 for that on a machine short of CPU).
        /// </summary>
        readonly int _turnsPerPass;
        readonly int _restartFrames;
        readonly SqliteConnection _connection;
        readonly SemaphoreSlim _due = new(0, 1);
        readonly Thread _thread;
        volatile bool _stopping;
        volatile bool _restartWanted;
        int _turnsSincePass;
        int _backfilled;

        /// <summary>Turns the automatic checkpoint of <paramref name="writer"/> off and starts the checkpoint thread.</summary>
        public WalCheckpointer(SqliteConnection writer, string connectionString, int restartFrames)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(restartFrames, 64);
            _restartFrames = restartFrames;
            _turnsPerPass = Math.Min(256, restartFrames / 8);
            Execute(writer, null, $"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={restartFrames * 2L * 4096}");
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
            if (_turnsSincePass < _turnsPerPass) return;
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
                var (walFrames, _) = Pass();
                if (walFrames < _restartFrames) continue;
                // The writer's own checkpoint stops every commit while it copies and syncs what it finds, so it must find
                // little: the frames appended during a pass are copied by the next one, until one copies few (each pass
                // is shorter than the one before, as it has less to copy). Then the writer is asked.
                for (var pass = 0; pass < MaxCatchUpPasses && !_stopping; pass++)
                {
                    var (_, copied) = Pass();
                    if (copied is >= 0 and < CaughtUpFrames) break;
                }
                _restartWanted = true;
            }
        }

        /// <summary>One PASSIVE checkpoint: the WAL's length in frames and how many frames this pass copied (−1 for unknown).</summary>
        (int WalFrames, int Copied) Pass()
        {
            var result = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var walFrames, out var backfilled);
            if (result != raw.SQLITE_OK) return (-1, -1);
            // Backfilled counts from the WAL's start, so it falls when the writer has restarted the WAL since the last pass.
            var copied = backfilled >= _backfilled ? backfilled - _backfilled : -1;
            _backfilled = backfilled;
            return (walFrames, copied);
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
