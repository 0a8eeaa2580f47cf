using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

/// <summary>
/// Which conversation keys the file holds, so that the first turn of a new conversation does not read the file only to
/// learn that it has no row. That read cost ≈ 35 µs: a reader's page cache is emptied by every commit, so it fetched
/// the key index's pages again (docs/performance.md, "Session 13: new conversations").
/// </summary>
public sealed partial class SqliteConversationStore
{
    static readonly Task<ConversationRecord?> NoRecord = Task.FromResult<ConversationRecord?>(null);
    static readonly Task<IReadOnlyList<StoredActivity>> NoActivities = Task.FromResult<IReadOnlyList<StoredActivity>>([]);

    readonly FileKeys _keys;

    /// <summary>Starts the first build of the file's keys if no lookup has yet, and is done when it is in use (tests).</summary>
    internal Task KeysReady
    {
        get
        {
            _keys.EnsureStarted();
            return _keys.Ready;
        }
    }

    /// <summary>False when the file certainly has no row for <paramref name="key"/>.</summary>
    bool MayHoldKey(string key) => _keys.MayContain(key);

    /// <summary>
    /// The keys of one file, shared by every store this process has open on it (so a second store over the same file,
    /// as a second node in tests, sees the first one's new conversations at once).
    /// </summary>
    /// <remarks>
    /// <para>
    /// A <see cref="KeyFilter"/> built from <c>conversation_keys</c> on a thread of its own at the first lookup or insert
    /// (so <c>scenariokit report</c> or <c>purge</c>, which look nothing up, never scan the keys), and built again, twice
    /// as large, once the keys added since pass its capacity (dropping the keys expiry deleted). Until the first build
    /// is done every lookup reads the file, as before. Each writer adds a key before it inserts it, to the filter in use
    /// and to the one being built. When a build starts, the last <see cref="RecentKeys"/> keys added go into the new
    /// filter too: a key added earlier was committed before the build's scan began (a batch holds at most 256 turns and
    /// commits within milliseconds), so the scan finds it.
    /// </para>
    /// <para>
    /// A conversation that another process starts in the file is not in the filter: a store here answers "no row" for
    /// it, and a turn that then tries to create it meets the stored row, fails with
    /// <see cref="ConcurrencyConflictException"/> (as any lost race does), and the key is added, so the turn's retry
    /// reads the row. The SQLite store serves one server process; several nodes share PostgreSQL.
    /// </para>
    /// </remarks>
    internal sealed class FileKeys
    {
        /// <summary>The smallest filter (keys): 2 MiB, about a year of a busy contact center's conversations.</summary>
        public const long DefaultCapacity = 1 << 20;

        const int RecentKeys = 4096;

        static readonly Dictionary<string, FileKeys> Open = new(StringComparer.Ordinal);
        static readonly Lock OpenLock = new();

        readonly Lock _lock = new();
        readonly string _path;
        readonly string _connectionString;
        readonly long _minCapacity;
        readonly string?[] _recent = new string?[RecentKeys];
        readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int _recentNext;
        int _stores;
        volatile bool _started;
        volatile KeyFilter? _current;
        KeyFilter? _next;
        volatile bool _stopping;
        Task _build = Task.CompletedTask;

        FileKeys(string path, string connectionString, long minCapacity)
        {
            _path = path;
            _connectionString = connectionString;
            _minCapacity = minCapacity;
        }

        public Task Ready => _ready.Task;

        /// <summary>The keys of the file at <paramref name="path"/>, built once for every store of this process on it.</summary>
        public static FileKeys Acquire(string path, string connectionString, long minCapacity)
        {
            lock (OpenLock)
            {
                if (!Open.TryGetValue(path, out var keys))
                {
                    Open[path] = keys = new FileKeys(path, connectionString, minCapacity);
                }
                keys._stores++;
                return keys;
            }
        }

        /// <summary>A store closes: the last one stops a build that is running.</summary>
        public async Task ReleaseAsync()
        {
            lock (OpenLock)
            {
                if (--_stores > 0) return;
                Open.Remove(_path);
                _stopping = true;
            }
            await _build.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public bool MayContain(string key)
        {
            if (_current is { } current) return current.MayContain(key);
            EnsureStarted();
            return true;
        }

        /// <summary>Starts the first build unless it has started.</summary>
        public void EnsureStarted()
        {
            if (_started) return;
            lock (_lock)
            {
                if (_started) return;
                _started = true;
                StartBuild(_minCapacity);
            }
        }

        /// <summary>A writer, before it inserts a conversation under <paramref name="key"/>; starts a larger build when due.</summary>
        public void Add(string key)
        {
            EnsureStarted();
            lock (_lock)
            {
                var current = _current;
                current?.Add(key);
                _next?.Add(key);
                _recent[_recentNext] = key;
                _recentNext = (_recentNext + 1) % RecentKeys;
                if (_next is null && current is not null && current.Added > current.Capacity)
                    StartBuild(Math.Max(_minCapacity, 2 * current.Added));
            }
        }

        void StartBuild(long capacity)
        {
            if (_stopping) return;
            var next = _next = new KeyFilter(capacity);
            foreach (var key in _recent)
            {
                if (key is not null) next.Add(key);
            }
            _build = Task.Run(() => Build(next));
        }

        void Build(KeyFilter next)
        {
            var built = false;
            try
            {
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT key FROM conversation_keys";
                using var reader = command.ExecuteReader();
                var rows = 0;
                while (reader.Read())
                {
                    next.Add(reader.GetString(0));
                    if (++rows % 4096 == 0 && _stopping) return;
                }
                built = true;
            }
            catch (SqliteException)
            {
                // Unreadable now: lookups keep the filter they use (or read the file); the next add past capacity tries again
                // (and with none in use yet, every lookup reads the file).
            }
            finally
            {
                lock (_lock)
                {
                    if (built) _current = next;
                    _next = null;
                }
                if (built) _ready.TrySetResult();
            }
        }
    }
}
