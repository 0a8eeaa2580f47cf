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
        readonly SqliteCommand _update;
        readonly SqliteParameter _uState, _uVersion, _uLastSeq, _uStarted, _uWithAgent, _uUser, _uUpdated, _uKey, _uExpected;
        readonly SqliteCommand _number;
        readonly SqliteParameter _nKey;
        readonly SqliteCommand _insert;
        readonly SqliteParameter _iKey, _iConversation, _iChannel, _iScenario, _iScenarioVersion, _iUser, _iState, _iVersion, _iLastSeq,
            _iStarted, _iWithAgent, _iCreated, _iUpdated;
        readonly SqliteCommand _append;
        readonly SqliteParameter _aConversation, _aFirst, _aLast, _aCount, _aData;
        readonly SqliteCommand _log;
        readonly SqliteParameter _lConversation, _lTurn, _lAt, _lScenario, _lScenarioVersion, _lJson;
        readonly SqliteCommand _lookup;
        readonly SqliteParameter _kKey;

        public TurnStatements(SqliteConnection connection)
        {
            _update = connection.CreateCommand();
            _update.CommandText = """
                UPDATE conversations SET state = $state, version = $version, last_seq = $last_seq, started = $started,
                       with_agent = $with_agent, user_id = $user_id, updated_utc = $updated
                WHERE id = (SELECT id FROM conversation_keys WHERE key = $key) AND version = $expected
                RETURNING id
                """;
            _uState = _update.Parameters.Add("$state", SqliteType.Blob);
            _uVersion = _update.Parameters.Add("$version", SqliteType.Integer);
            _uLastSeq = _update.Parameters.Add("$last_seq", SqliteType.Integer);
            _uStarted = _update.Parameters.Add("$started", SqliteType.Integer);
            _uWithAgent = _update.Parameters.Add("$with_agent", SqliteType.Integer);
            _uUser = _update.Parameters.Add("$user_id", SqliteType.Text);
            _uUpdated = _update.Parameters.Add("$updated", SqliteType.Integer);
            _uKey = _update.Parameters.Add("$key", SqliteType.Text);
            _uExpected = _update.Parameters.Add("$expected", SqliteType.Integer);

            // The number stays with the key while its turn log does, so a conversation started again under the same key
            // after its row expired continues that log.
            _number = connection.CreateCommand();
            _number.CommandText = "INSERT OR IGNORE INTO conversation_keys (key) VALUES ($key)";
            _nKey = _number.Parameters.Add("$key", SqliteType.Text);

            _insert = connection.CreateCommand();
            _insert.CommandText = """
                INSERT OR IGNORE INTO conversations (id, conversation_id, channel_id, scenario_id, scenario_version, user_id, state,
                       version, last_seq, started, with_agent, created_utc, updated_utc)
                SELECT id, $conversation_id, $channel_id, $scenario_id, $scenario_version, $user_id, $state,
                       $version, $last_seq, $started, $with_agent, $created, $updated
                FROM conversation_keys WHERE key = $key
                RETURNING id
                """;
            _iKey = _insert.Parameters.Add("$key", SqliteType.Text);
            _iConversation = _insert.Parameters.Add("$conversation_id", SqliteType.Text);
            _iChannel = _insert.Parameters.Add("$channel_id", SqliteType.Text);
            _iScenario = _insert.Parameters.Add("$scenario_id", SqliteType.Text);
            _iScenarioVersion = _insert.Parameters.Add("$scenario_version", SqliteType.Text);
            _iUser = _insert.Parameters.Add("$user_id", SqliteType.Text);
            _iState = _insert.Parameters.Add("$state", SqliteType.Blob);
            _iVersion = _insert.Parameters.Add("$version", SqliteType.Integer);
            _iLastSeq = _insert.Parameters.Add("$last_seq", SqliteType.Integer);
            _iStarted = _insert.Parameters.Add("$started", SqliteType.Integer);
            _iWithAgent = _insert.Parameters.Add("$with_agent", SqliteType.Integer);
            _iCreated = _insert.Parameters.Add("$created", SqliteType.Integer);
            _iUpdated = _insert.Parameters.Add("$updated", SqliteType.Integer);

            _append = connection.CreateCommand();
            _append.CommandText = "INSERT INTO activities (conversation, first_seq, last_seq, count, data) VALUES ($conversation, $first, $last, $count, $data)";
            _aConversation = _append.Parameters.Add("$conversation", SqliteType.Integer);
            _aFirst = _append.Parameters.Add("$first", SqliteType.Integer);
            _aLast = _append.Parameters.Add("$last", SqliteType.Integer);
            _aCount = _append.Parameters.Add("$count", SqliteType.Integer);
            _aData = _append.Parameters.Add("$data", SqliteType.Blob);

            _log = connection.CreateCommand();
            _log.CommandText = """
                INSERT OR REPLACE INTO turns (conversation, turn, at_utc, scenario_id, scenario_version, json)
                VALUES ($conversation, $turn, $at, $scenario_id, $scenario_version, $json)
                """;
            _lConversation = _log.Parameters.Add("$conversation", SqliteType.Integer);
            _lTurn = _log.Parameters.Add("$turn", SqliteType.Integer);
            _lAt = _log.Parameters.Add("$at", SqliteType.Integer);
            _lScenario = _log.Parameters.Add("$scenario_id", SqliteType.Text);
            _lScenarioVersion = _log.Parameters.Add("$scenario_version", SqliteType.Text);
            _lJson = _log.Parameters.Add("$json", SqliteType.Blob);

            _lookup = connection.CreateCommand();
            _lookup.CommandText = "SELECT id FROM conversation_keys WHERE key = $key";
            _kKey = _lookup.Parameters.Add("$key", SqliteType.Text);
        }

        public void Enlist(SqliteTransaction transaction) =>
            _update.Transaction = _number.Transaction = _insert.Transaction = _append.Transaction = _log.Transaction = _lookup.Transaction = transaction;

        /// <summary>Writes the turn; false, having written nothing, when the stored version is not the expected one.</summary>
        public bool Write(TurnWrite write)
        {
            var c = write.Conversation;
            var id = write.ExpectedVersion == 0 ? Insert(c) : Update(c, write.ExpectedVersion);
            if (id is not long conversation) return false;
            if (write.Activities.Count > 0)
            {
                _aConversation.Value = conversation;
                _aFirst.Value = write.Activities[0].Seq;
                _aLast.Value = write.Activities[^1].Seq;
                _aCount.Value = write.Activities.Count;
                _aData.Value = PackedActivities.Pack(write.Activities);
                _append.ExecuteNonQuery();
            }
            if (write.Turn is { } t)
            {
                _lConversation.Value = t.Key == c.Key ? conversation : NumberOf(t.Key);
                _lTurn.Value = t.Turn;
                _lAt.Value = t.AtUtc.UtcTicks;
                _lScenario.Value = t.ScenarioId;
                _lScenarioVersion.Value = t.ScenarioVersion;
                _lJson.Value = StoredBytes.AsArray(t.Json);
                _log.ExecuteNonQuery();
            }
            return true;
        }

        long? Update(ConversationRecord c, long expectedVersion)
        {
            _uState.Value = StoredBytes.AsArray(c.State);
            _uVersion.Value = c.Version;
            _uLastSeq.Value = c.LastSeq;
            _uStarted.Value = c.Started ? 1 : 0;
            _uWithAgent.Value = c.WithAgent ? 1 : 0;
            _uUser.Value = (object?)c.UserId ?? DBNull.Value;
            _uUpdated.Value = c.UpdatedUtc.UtcTicks;
            _uKey.Value = c.Key;
            _uExpected.Value = expectedVersion;
            return _update.ExecuteScalar() as long?;
        }

        long? Insert(ConversationRecord c)
        {
            _nKey.Value = c.Key;
            _number.ExecuteNonQuery();
            _iKey.Value = c.Key;
            _iConversation.Value = c.ConversationId;
            _iChannel.Value = c.ChannelId;
            _iScenario.Value = c.ScenarioId;
            _iScenarioVersion.Value = c.ScenarioVersion;
            _iUser.Value = (object?)c.UserId ?? DBNull.Value;
            _iState.Value = StoredBytes.AsArray(c.State);
            _iVersion.Value = c.Version;
            _iLastSeq.Value = c.LastSeq;
            _iStarted.Value = c.Started ? 1 : 0;
            _iWithAgent.Value = c.WithAgent ? 1 : 0;
            _iCreated.Value = c.CreatedUtc.UtcTicks;
            _iUpdated.Value = c.UpdatedUtc.UtcTicks;
            return _insert.ExecuteScalar() as long?;
        }

        /// <summary>The number of a key other than the turn's conversation (a turn-log entry filed under another key).</summary>
        long NumberOf(string key)
        {
            _nKey.Value = key;
            _number.ExecuteNonQuery();
            _kKey.Value = key;
            return (long)_lookup.ExecuteScalar()!;
        }

        public void Dispose()
        {
            foreach (var command in new[] { _update, _number, _insert, _append, _log, _lookup }) command.Dispose();
        }
    }
}
