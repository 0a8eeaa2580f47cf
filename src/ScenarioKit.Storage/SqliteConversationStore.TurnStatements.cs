using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

public sealed partial class SqliteConversationStore
{
    /// <summary>
    /// The writer thread's statements, prepared once: a turn is the conversation row updated in place (found through
    /// its number), one activities row and one turn-log row appended. A new conversation first gets its number. A batch's
    /// <c>BEGIN IMMEDIATE</c> and <c>COMMIT</c> are prepared too (a <see cref="SqliteTransaction"/> compiles both on every
    /// batch). No statement has a <c>RETURNING</c> clause: SQLite collects those rows in a temporary B-tree it opens and
    /// closes on every run, which cost the serial writer more than looking the number up by a query of its own
    /// (docs/performance.md, "Session 8: the writer"); whether a row changed is <see cref="NativeStatement.Changes"/>.
    /// </summary>
    sealed class TurnStatements : IDisposable
    {
        readonly List<NativeStatement> _all = [];
        readonly NativeStatement _begin, _commit, _rollback, _number, _update, _newNumber, _insert, _append, _log;

        /// <summary>Prepares every statement, or, when one fails, disposes those already prepared and throws.</summary>
        public TurnStatements(SqliteConnection connection)
        {
            try
            {
                _begin = Prepare(connection, "BEGIN IMMEDIATE");
                _commit = Prepare(connection, "COMMIT");
                _rollback = Prepare(connection, "ROLLBACK");
                _number = Prepare(connection, "SELECT id FROM conversation_keys WHERE key = ?1");
                _update = Prepare(connection, """
                    UPDATE conversations SET state = ?1, version = ?2, last_seq = ?3, started = ?4, with_agent = ?5, user_id = ?6, updated_utc = ?7
                    WHERE id = ?8 AND version = ?9
                    """);
                // The number stays with the key while its turn log does, so a conversation started again under the
                // same key after its row expired files its turns beside the earlier ones.
                _newNumber = Prepare(connection, "INSERT OR IGNORE INTO conversation_keys (key) VALUES (?1)");
                _insert = Prepare(connection, """
                    INSERT OR IGNORE INTO conversations (id, conversation_id, channel_id, scenario_id, scenario_version, user_id, state,
                           version, last_seq, started, with_agent, created_utc, updated_utc)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                    """);
                _append = Prepare(connection, "INSERT INTO activities (conversation, last_seq, count, data) VALUES (?1, ?2, ?3, ?4)");
                _log = Prepare(connection, """
                    INSERT OR REPLACE INTO turns (conversation, turn, at_utc, scenario_id, scenario_version, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                    """);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        NativeStatement Prepare(SqliteConnection connection, string sql)
        {
            var statement = new NativeStatement(connection, sql);
            _all.Add(statement);
            return statement;
        }

        /// <summary>Starts a batch's transaction, taking SQLite's write lock (waiting up to the busy timeout for another process's).</summary>
        public void Begin() => _begin.Run();

        public void Commit() => _commit.Run();

        /// <summary>
        /// Undoes a batch that failed. Does not throw: a rollback that fails leaves the next <see cref="Begin"/> to fail, and
        /// the failed batch's turns are answered either way.
        /// </summary>
        public void RollBackIfOpen()
        {
            if (!_rollback.InTransaction) return;
            try
            {
                _rollback.Run();
            }
            catch (SqliteException)
            {
            }
        }

        /// <summary>
        /// Writes the turn (<paramref name="packedActivities"/>: its activities packed, empty when none); false, having
        /// written nothing, when the stored version is not the expected one.
        /// </summary>
        public bool Write(TurnWrite write, ReadOnlySpan<byte> packedActivities)
        {
            var c = write.Conversation;
            var id = write.ExpectedVersion == 0 ? Insert(c) : Update(c, write.ExpectedVersion);
            if (id is not long conversation) return false;
            var activities = write.Activities;
            if (!packedActivities.IsEmpty)
            {
                _append.Bind(1, conversation).Bind(2, activities[^1].Seq).Bind(3, activities.Count).Bind(4, packedActivities).Run();
            }
            if (write.Turn is { } t)
            {
                _log.Bind(1, conversation).Bind(2, t.Turn).Bind(3, t.AtUtc.UtcTicks)
                    .Bind(4, t.ScenarioId).Bind(5, t.ScenarioVersion).Bind(6, t.Json.Span).Run();
            }
            return true;
        }

        /// <summary>The conversation's number when its row was at <paramref name="expectedVersion"/> and is now updated; null otherwise.</summary>
        long? Update(ConversationRecord c, long expectedVersion)
        {
            if (_number.Bind(1, c.Key).Run() is not long id) return null;
            _update.Bind(1, c.State.Span).Bind(2, c.Version).Bind(3, c.LastSeq).Bind(4, c.Started).Bind(5, c.WithAgent)
                .Bind(6, c.UserId).Bind(7, c.UpdatedUtc.UtcTicks).Bind(8, id).Bind(9, expectedVersion).Run();
            return _update.Changes == 1 ? id : null;
        }

        /// <summary>The new conversation's number once its row is inserted; null when it has a row already.</summary>
        long? Insert(ConversationRecord c)
        {
            _newNumber.Bind(1, c.Key).Run();
            var id = _newNumber.Changes == 1 ? _newNumber.LastInsertRowId : _number.Bind(1, c.Key).Run()!.Value;
            _insert.Bind(1, id).Bind(2, c.ConversationId).Bind(3, c.ChannelId).Bind(4, c.ScenarioId).Bind(5, c.ScenarioVersion)
                .Bind(6, c.UserId).Bind(7, c.State.Span).Bind(8, c.Version).Bind(9, c.LastSeq).Bind(10, c.Started).Bind(11, c.WithAgent)
                .Bind(12, c.CreatedUtc.UtcTicks).Bind(13, c.UpdatedUtc.UtcTicks).Run();
            return _insert.Changes == 1 ? id : null;
        }

        public void Dispose()
        {
            foreach (var statement in _all) statement.Dispose();
        }
    }
}
