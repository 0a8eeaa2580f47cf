using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

public sealed partial class SqliteConversationStore
{
    /// <summary>
    /// The writer thread's statements, prepared once: a turn is the conversation row updated in place (found through
    /// its number), one activities row and one turn-log row appended. A new conversation first gets its number.
    /// </summary>
    sealed class TurnStatements : IDisposable
    {
        readonly List<NativeStatement> _all = [];
        readonly NativeStatement _update, _number, _insert, _append, _log;

        /// <summary>Prepares every statement, or, when one fails, disposes those already prepared and throws.</summary>
        public TurnStatements(SqliteConnection connection)
        {
            try
            {
                _update = Prepare(connection, """
                    UPDATE conversations SET state = ?1, version = ?2, last_seq = ?3, started = ?4, with_agent = ?5, user_id = ?6, updated_utc = ?7
                    WHERE id = (SELECT id FROM conversation_keys WHERE key = ?8) AND version = ?9
                    RETURNING id
                    """);
                // The number stays with the key while its turn log does, so a conversation started again under the
                // same key after its row expired files its turns beside the earlier ones.
                _number = Prepare(connection, "INSERT OR IGNORE INTO conversation_keys (key) VALUES (?1)");
                _insert = Prepare(connection, """
                    INSERT OR IGNORE INTO conversations (id, conversation_id, channel_id, scenario_id, scenario_version, user_id, state,
                           version, last_seq, started, with_agent, created_utc, updated_utc)
                    SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 FROM conversation_keys WHERE key = ?1
                    RETURNING id
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

        /// <summary>
        /// Writes the turn (<paramref name="packedActivities"/>: its activities packed, null when none); false, having
        /// written nothing, when the stored version is not the expected one.
        /// </summary>
        public bool Write(TurnWrite write, byte[]? packedActivities)
        {
            var c = write.Conversation;
            var id = write.ExpectedVersion == 0 ? Insert(c) : Update(c, write.ExpectedVersion);
            if (id is not long conversation) return false;
            var activities = write.Activities;
            if (packedActivities is not null)
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

        long? Update(ConversationRecord c, long expectedVersion) =>
            _update.Bind(1, c.State.Span).Bind(2, c.Version).Bind(3, c.LastSeq).Bind(4, c.Started).Bind(5, c.WithAgent)
                .Bind(6, c.UserId).Bind(7, c.UpdatedUtc.UtcTicks).Bind(8, c.Key).Bind(9, expectedVersion).Run();

        long? Insert(ConversationRecord c)
        {
            _number.Bind(1, c.Key).Run();
            return _insert.Bind(1, c.Key).Bind(2, c.ConversationId).Bind(3, c.ChannelId).Bind(4, c.ScenarioId).Bind(5, c.ScenarioVersion)
                .Bind(6, c.UserId).Bind(7, c.State.Span).Bind(8, c.Version).Bind(9, c.LastSeq).Bind(10, c.Started).Bind(11, c.WithAgent)
                .Bind(12, c.CreatedUtc.UtcTicks).Bind(13, c.UpdatedUtc.UtcTicks).Run();
        }

        public void Dispose()
        {
            foreach (var statement in _all) statement.Dispose();
        }
    }
}
