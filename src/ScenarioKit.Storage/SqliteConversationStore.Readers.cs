using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

public sealed partial class SqliteConversationStore
{
    // A few more than the threads that read at once; the pool never holds more (the rest are closed on return).
    static readonly int MaxPooledReaders = Math.Max(4, 2 * Environment.ProcessorCount);

    readonly ConcurrentBag<Reader> _readers = [];
    int _pooledReaders;
    volatile bool _disposed;
    long _fileReads;

    /// <summary>How many lookups read the file (tests: a lookup the key filter answers reads nothing).</summary>
    internal long FileReads => Interlocked.Read(ref _fileReads);

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled reader connection whose per-turn queries are prepared once. Through a
    /// pooled <see cref="SqliteConnection"/> and a command, every lookup opened the connection, compiled its SQL and
    /// built a data reader: about as much CPU as the engine's turn (docs/performance.md, "Session 6: the server turn").
    /// WAL lets the readers run beside the writer; each query is its own read transaction, ended by its reset.
    /// </summary>
    Task<T> ReadAsync<TArg, T>(TArg arg, Func<Reader, TArg, T> read, CancellationToken cancellationToken)
    {
        // Synchronous, as Microsoft.Data.Sqlite's async calls are; failures still travel in the task.
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        try
        {
            return Task.FromResult(Read(arg, read));
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    T Read<TArg, T>(TArg arg, Func<Reader, TArg, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _fileReads);
        if (_readers.TryTake(out var reader)) Interlocked.Decrement(ref _pooledReaders);
        else reader = new Reader(_connectionString);
        T result;
        try
        {
            result = read(reader, arg);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        if (_disposed || Interlocked.Increment(ref _pooledReaders) > MaxPooledReaders)
        {
            Interlocked.Decrement(ref _pooledReaders);
            reader.Dispose();
        }
        else
        {
            _readers.Add(reader);
        }
        return result;
    }

    void DisposeReaders()
    {
        _disposed = true;
        while (_readers.TryTake(out var reader)) reader.Dispose();
    }

    /// <summary>A read connection of its own with the per-turn queries prepared on it. Used by one thread at a time.</summary>
    sealed class Reader : IDisposable
    {
        readonly SqliteConnection _connection;
        readonly NativeStatement _record;
        readonly NativeStatement _activities;

        public Reader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            try
            {
                _connection.Open();
                Execute(_connection, null, "PRAGMA busy_timeout=5000");
                _record = new NativeStatement(_connection, $"SELECT {RecordColumns} FROM conversation_keys k JOIN conversations c ON c.id = k.id WHERE k.key = ?1");
                try
                {
                    // A row holds one turn's activities; the first row returned may begin before the watermark.
                    _activities = new NativeStatement(_connection, """
                        SELECT a.data FROM conversation_keys k JOIN activities a ON a.conversation = k.id
                        WHERE k.key = ?1 AND a.last_seq > ?2 ORDER BY a.last_seq
                        """);
                }
                catch
                {
                    _record.Dispose();
                    throw;
                }
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        }

        public ConversationRecord? Record(string key)
        {
            var s = _record.Bind(1, key);
            try
            {
                if (!s.Step()) return null;
                return new ConversationRecord(
                    s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.IsNull(5) ? null : s.Text(5), s.Blob(6),
                    s.Int64(7), s.Int64(8), s.Int64(9) != 0, s.Int64(10) != 0, Utc(s.Int64(11)), Utc(s.Int64(12)));
            }
            finally
            {
                s.Reset();
            }
        }

        public List<StoredActivity> Activities(string key, long afterSeq, int limit)
        {
            var s = _activities.Bind(1, key).Bind(2, afterSeq);
            var list = new List<StoredActivity>();
            try
            {
                while (list.Count < limit && s.Step()) PackedActivities.Unpack(s.Blob(0), afterSeq, limit, list);
            }
            finally
            {
                s.Reset();
            }
            return list;
        }

        public void Dispose()
        {
            _record.Dispose();
            _activities.Dispose();
            _connection.Dispose();
        }
    }
}
