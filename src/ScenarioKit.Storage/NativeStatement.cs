using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScenarioKit.Storage;

/// <summary>
/// One SQL statement prepared once on a connection and run many times through SQLite's own API, parameters bound by
/// position. For the SQLite writer's per-turn statements: a <see cref="SqliteCommand"/> looks every parameter up by
/// name, converts its name and value, and builds a data reader on every run, which cost the serial writer thread more
/// than the B-tree inserts it drives (docs/performance.md, "Session 5: the SQLite layout"); the readers' per-turn
/// lookups likewise (<see cref="SqliteConversationStore"/>'s reader pool, "Session 6"). Errors surface as
/// <see cref="SqliteException"/>, as from a command.
/// </summary>
sealed class NativeStatement : IDisposable
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _statement;

    public NativeStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public NativeStatement Bind(int position, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, position, value));
        return this;
    }

    public NativeStatement Bind(int position, bool value) => Bind(position, value ? 1L : 0L);

    public NativeStatement Bind(int position, string? value)
    {
        // An empty span may have no address, which SQLite would read as NULL.
        Check(value switch
        {
            null => raw.sqlite3_bind_null(_statement, position),
            "" => raw.sqlite3_bind_text(_statement, position, ""),
            _ => BindUtf8(position, value),
        });
        return this;
    }

    /// <summary>
    /// Binds text as .NET's UTF-8 encoder writes it, which is how Microsoft.Data.Sqlite binds the readers' lookups: a lone
    /// surrogate becomes U+FFFD in both. SQLite's own UTF-16 conversion would store it otherwise, and a conversation whose
    /// key held one would never be found again (every later turn a conflict).
    /// </summary>
    int BindUtf8(int position, string value)
    {
        const int OnStack = 512;
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = length <= OnStack ? stackalloc byte[OnStack] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(value, buffer);
            // SQLitePCL binds a span with SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
            return raw.sqlite3_bind_text(_statement, position, buffer[..written]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public NativeStatement Bind(int position, ReadOnlySpan<byte> value)
    {
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, position, 0) : raw.sqlite3_bind_blob(_statement, position, value));
        return this;
    }

    /// <summary>Runs the statement; the first column of its first row (RETURNING), or null when it returned none.</summary>
    public long? Run()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW)
            {
                var value = raw.sqlite3_column_int64(_statement, 0);
                // RETURNING makes every change in the first step; stepping to the end finishes the statement.
                while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) { }
                Check(rc);
                return value;
            }
            Check(rc);
            return null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Rows the last statement run on this connection inserted, updated or deleted.</summary>
    public int Changes => raw.sqlite3_changes(_db);

    /// <summary>The rowid of the last row inserted on this connection.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>Whether the connection is inside a transaction (not in autocommit mode).</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_db) == 0;

    /// <summary>Steps a query: true with a row to read (<see cref="Int64"/>, <see cref="Text"/>, <see cref="Blob"/>), false at its end. Call <see cref="Reset"/> when done.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        Check(rc);
        return rc == raw.SQLITE_ROW;
    }

    /// <summary>Ends the query (and its read transaction) so the statement can run again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public byte[] Blob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _statement.Dispose();
}
