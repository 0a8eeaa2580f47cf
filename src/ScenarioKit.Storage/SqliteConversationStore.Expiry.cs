using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ScenarioKit.Storage;

/// <summary>
/// Expiry (<see cref="IStoreRetention"/>) without stalling turns: every delete runs on the writer thread as a small
/// step inside a turn batch's transaction (no second writer waiting for SQLite's write lock, no fsync of its own), and
/// the pass pauses between steps in proportion to how long the last one took, so expiry never holds more than a small
/// share of the writer's time (docs/performance.md, "Storage size and retention").
/// </summary>
public sealed partial class SqliteConversationStore
{
    /// <summary>Conversations whose activities one step deletes (one row per turn that logged activities, each).</summary>
    const int ExpiryConversationsPerStep = 64;

    /// <summary>Turn-log rows, or idle conversations, one step deletes.</summary>
    const int ExpiryRowsPerStep = 500;

    /// <summary>Between steps the pass waits this many times as long as the step took (at least a millisecond): ≤ 20 % of the writer.</summary>
    const int ExpiryPauseFactor = 4;

    /// <summary>
    /// Conversations last updated before this (ticks) have no activities left: a previous pass emptied them, so the next
    /// pass starts its scan here instead of walking millions of emptied conversations again. Only the writer thread reads
    /// or writes it; a turn saved with an older time (a test clock) lowers it.
    /// </summary>
    long _activitiesExpiredBefore = long.MinValue;

    public async Task<RetentionResult> ExpireAsync(DateTimeOffset activitiesBeforeUtc, DateTimeOffset turnsBeforeUtc, CancellationToken cancellationToken)
    {
        // A conversation that goes loses its activities too, whichever cutoff is later.
        var activitiesBefore = Math.Max(activitiesBeforeUtc.UtcTicks, turnsBeforeUtc.UtcTicks);
        var turnsBefore = turnsBeforeUtc.UtcTicks;

        var cursor = new ActivityCursor(this, activitiesBefore);
        long activities = 0;
        while (!cursor.Done) activities += await RunStepAsync(cursor.DeleteNext, cancellationToken).ConfigureAwait(false);
        await RunStepAsync(_ => MarkActivitiesExpired(cursor.Start, activitiesBefore), cancellationToken).ConfigureAwait(false);

        long turns = 0;
        for (long deleted; (deleted = await RunStepAsync(c => DeleteOldTurns(c, turnsBefore), cancellationToken).ConfigureAwait(false)) > 0;)
            turns += deleted;

        long conversations = 0;
        var leftActivities = new StrongBox<long>();
        for (long deleted; (deleted = await RunStepAsync(c => DeleteIdleConversations(c, turnsBefore, leftActivities), cancellationToken).ConfigureAwait(false)) > 0;)
            conversations += deleted;
        return new RetentionResult(conversations, activities + leftActivities.Value, turns);
    }

    delegate long StepAction(SqliteConnection connection);

    /// <summary>Queues one step for the writer, waits until it is committed, then pauses so turns keep the writer.</summary>
    async Task<long> RunStepAsync(StepAction action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var step = new WriterStep(action);
        Enqueue(step);
        var deleted = await step.Completion.Task.ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, step.Elapsed.Ticks * ExpiryPauseFactor)), cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    long MarkActivitiesExpired(long scannedFrom, long before)
    {
        // Only when this pass started at the mark: a turn saved meanwhile with an older time lowered it, and the pass
        // did not look below where it started.
        if (_activitiesExpiredBefore >= scannedFrom && before > _activitiesExpiredBefore) _activitiesExpiredBefore = before;
        return 0;
    }

    /// <summary>Walks idle conversations in (updated_utc, id) order, a few at a time, deleting their activities.</summary>
    sealed class ActivityCursor(SqliteConversationStore store, long before)
    {
        long? _updated;
        long _id;

        public long Start { get; private set; }
        public bool Done { get; private set; }

        public long DeleteNext(SqliteConnection connection)
        {
            // The mark is read here, on the writer thread, where it is kept.
            _updated ??= Start = store._activitiesExpiredBefore;
            using var select = Command(connection, null, """
                SELECT id, updated_utc FROM conversations
                WHERE updated_utc < $before AND (updated_utc, id) > ($updated, $id)
                ORDER BY updated_utc, id LIMIT $limit
                """);
            select.Parameters.AddWithValue("$before", before);
            select.Parameters.AddWithValue("$updated", _updated);
            select.Parameters.AddWithValue("$id", _id);
            select.Parameters.AddWithValue("$limit", ExpiryConversationsPerStep);
            var ids = ReadIds(select, (reader) => _updated = reader.GetInt64(1));
            if (ids.Count == 0)
            {
                Done = true;
                return 0;
            }
            _id = ids[^1];
            using var delete = new ConversationDeletes(connection);
            return ids.Sum(delete.Activities);
        }
    }

    static long DeleteOldTurns(SqliteConnection connection, long before)
    {
        using var command = Command(connection, null, """
            DELETE FROM turns WHERE rowid IN (SELECT rowid FROM turns WHERE at_utc < $before LIMIT $limit) RETURNING conversation
            """);
        command.Parameters.AddWithValue("$before", before);
        command.Parameters.AddWithValue("$limit", ExpiryRowsPerStep);
        var conversations = ReadIds(command);
        using var delete = new ConversationDeletes(connection);
        foreach (var id in conversations.Distinct()) delete.KeyIfUnused(id);
        return conversations.Count;
    }

    static long DeleteIdleConversations(SqliteConnection connection, long before, StrongBox<long> activities)
    {
        using var select = Command(connection, null, "SELECT id FROM conversations WHERE updated_utc < $before LIMIT $limit");
        select.Parameters.AddWithValue("$before", before);
        select.Parameters.AddWithValue("$limit", ExpiryRowsPerStep);
        var ids = ReadIds(select);
        using var delete = new ConversationDeletes(connection);
        foreach (var id in ids)
        {
            activities.Value += delete.Activities(id);
            delete.Conversation(id);
            delete.KeyIfUnused(id);
        }
        return ids.Count;
    }

    /// <summary>The first column of every row, as numbers (<paramref name="also"/> sees each row too).</summary>
    static List<long> ReadIds(SqliteCommand command, Action<SqliteDataReader>? also = null)
    {
        var ids = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
            also?.Invoke(reader);
        }
        return ids;
    }

    /// <summary>Deletes of one conversation's rows by its number, prepared once per step.</summary>
    sealed class ConversationDeletes(SqliteConnection connection) : IDisposable
    {
        readonly SqliteCommand _activities = ById(connection, "DELETE FROM activities WHERE conversation = $id RETURNING count");
        readonly SqliteCommand _conversation = ById(connection, "DELETE FROM conversations WHERE id = $id");
        // A number outlives its conversation row while turn-log rows (or activities) still name it.
        readonly SqliteCommand _key = ById(connection, """
            DELETE FROM conversation_keys WHERE id = $id AND NOT EXISTS (SELECT 1 FROM conversations WHERE id = $id)
              AND NOT EXISTS (SELECT 1 FROM turns WHERE conversation = $id) AND NOT EXISTS (SELECT 1 FROM activities WHERE conversation = $id)
            """);

        /// <summary>Deletes the conversation's activities; how many there were.</summary>
        public long Activities(long id) => ReadIds(With(_activities, id)).Sum();

        public void Conversation(long id) => With(_conversation, id).ExecuteNonQuery();

        public void KeyIfUnused(long id) => With(_key, id).ExecuteNonQuery();

        static SqliteCommand ById(SqliteConnection connection, string sql)
        {
            var command = Command(connection, null, sql);
            command.Parameters.Add("$id", SqliteType.Integer);
            return command;
        }

        static SqliteCommand With(SqliteCommand command, long id)
        {
            command.Parameters[0].Value = id;
            return command;
        }

        public void Dispose()
        {
            _activities.Dispose();
            _conversation.Dispose();
            _key.Dispose();
        }
    }

    /// <summary>A piece of expiry work for the writer thread, run inside the current batch's transaction.</summary>
    sealed class WriterStep(StepAction action) : WriterItem
    {
        long _result;
        Exception? _error;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan Elapsed { get; private set; }

        public void Run(SqliteConnection connection)
        {
            var started = Stopwatch.GetTimestamp();
            Execute(connection, null, "SAVEPOINT expiry");
            try
            {
                _result = action(connection);
                Execute(connection, null, "RELEASE expiry");
            }
            catch (SqliteException e)
            {
                Execute(connection, null, "ROLLBACK TO expiry; RELEASE expiry");
                _error = e;
            }
            Elapsed = Stopwatch.GetElapsedTime(started);
        }

        public void Complete()
        {
            if (_error is null) Completion.TrySetResult(_result);
            else Completion.TrySetException(_error);
        }

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }
}
