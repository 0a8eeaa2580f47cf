using System.Diagnostics;
using System.Globalization;
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
    /// <summary>Conversations whose activities one step deletes (≈ 11 rows each for the reference conversation).</summary>
    const int ExpiryConversationsPerStep = 64;

    /// <summary>Turn-log rows, or idle conversations, one step deletes.</summary>
    const int ExpiryRowsPerStep = 500;

    /// <summary>Between steps the pass waits this many times as long as the step took (at least a millisecond): ≤ 20 % of the writer.</summary>
    const int ExpiryPauseFactor = 4;

    /// <summary>
    /// Conversations last updated before this (ISO 8601, compared as text) have no activities left: a previous pass
    /// emptied them, so the next pass starts its scan here instead of walking millions of emptied conversations again.
    /// Only the writer thread reads or writes it; a turn saved with an older time (a test clock) lowers it.
    /// </summary>
    string _activitiesExpiredBefore = "";

    public async Task<RetentionResult> ExpireAsync(DateTimeOffset activitiesBeforeUtc, DateTimeOffset turnsBeforeUtc, CancellationToken cancellationToken)
    {
        // A conversation that goes loses its activities too, whichever cutoff is later.
        var activitiesBefore = Iso(activitiesBeforeUtc > turnsBeforeUtc ? activitiesBeforeUtc : turnsBeforeUtc);
        var turnsBefore = Iso(turnsBeforeUtc);

        var cursor = new ActivityCursor(this, activitiesBefore);
        long activities = 0;
        while (!cursor.Done) activities += await RunStepAsync(cursor.DeleteNext, cancellationToken).ConfigureAwait(false);
        await RunStepAsync((_, _) => MarkActivitiesExpired(cursor.Start, activitiesBefore), cancellationToken).ConfigureAwait(false);

        long turns = 0;
        for (long deleted; (deleted = await RunStepAsync((c, t) => DeleteOldTurns(c, t, turnsBefore), cancellationToken).ConfigureAwait(false)) > 0;)
            turns += deleted;

        long conversations = 0;
        var leftActivities = new StrongBox<long>();
        for (long deleted; (deleted = await RunStepAsync((c, t) => DeleteIdleConversations(c, t, turnsBefore, leftActivities), cancellationToken).ConfigureAwait(false)) > 0;)
            conversations += deleted;
        return new RetentionResult(conversations, activities + leftActivities.Value, turns);
    }

    delegate long StepAction(SqliteConnection connection, SqliteTransaction transaction);

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

    long MarkActivitiesExpired(string scannedFrom, string before)
    {
        // Only when this pass started at the mark: a turn saved meanwhile with an older time lowered it, and the pass
        // did not look below where it started.
        if (string.CompareOrdinal(_activitiesExpiredBefore, scannedFrom) >= 0 && string.CompareOrdinal(before, _activitiesExpiredBefore) > 0)
            _activitiesExpiredBefore = before;
        return 0;
    }

    /// <summary>Walks idle conversations in (updated_utc, key) order, a few at a time, deleting their activities.</summary>
    sealed class ActivityCursor(SqliteConversationStore store, string before)
    {
        string? _updated;
        string _key = "";

        public string Start { get; private set; } = "";
        public bool Done { get; private set; }

        public long DeleteNext(SqliteConnection connection, SqliteTransaction transaction)
        {
            // The mark is read here, on the writer thread, where it is kept.
            _updated ??= Start = store._activitiesExpiredBefore;
            using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = """
                SELECT key, updated_utc FROM conversations
                WHERE updated_utc < $before AND (updated_utc, key) > ($updated, $key)
                ORDER BY updated_utc, key LIMIT $limit
                """;
            select.Parameters.AddWithValue("$before", before);
            select.Parameters.AddWithValue("$updated", _updated);
            select.Parameters.AddWithValue("$key", _key);
            select.Parameters.AddWithValue("$limit", ExpiryConversationsPerStep);
            var keys = new List<string>(ExpiryConversationsPerStep);
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                    _updated = reader.GetString(1);
                }
            }
            if (keys.Count == 0)
            {
                Done = true;
                return 0;
            }
            _key = keys[^1];
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM activities WHERE key = $key";
            var key = delete.Parameters.Add("$key", SqliteType.Text);
            long deleted = 0;
            foreach (var k in keys)
            {
                key.Value = k;
                deleted += delete.ExecuteNonQuery();
            }
            return deleted;
        }
    }

    static long DeleteOldTurns(SqliteConnection connection, SqliteTransaction transaction, string before) =>
        DeleteBefore(connection, transaction, before, "DELETE FROM turns WHERE (key, turn) IN (SELECT key, turn FROM turns WHERE at_utc < $before LIMIT $limit)");

    static long DeleteIdleConversations(SqliteConnection connection, SqliteTransaction transaction, string before, StrongBox<long> activities)
    {
        // The same rows twice in one transaction: the index order does not change in between.
        activities.Value += DeleteBefore(connection, transaction, before,
            "DELETE FROM activities WHERE key IN (SELECT key FROM conversations WHERE updated_utc < $before LIMIT $limit)");
        return DeleteBefore(connection, transaction, before,
            "DELETE FROM conversations WHERE key IN (SELECT key FROM conversations WHERE updated_utc < $before LIMIT $limit)");
    }

    static long DeleteBefore(SqliteConnection connection, SqliteTransaction transaction, string before, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$before", before);
        command.Parameters.AddWithValue("$limit", ExpiryRowsPerStep);
        return command.ExecuteNonQuery();
    }

    static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A piece of expiry work for the writer thread, run inside the current batch's transaction.</summary>
    sealed class WriterStep(StepAction action) : WriterItem
    {
        long _result;
        Exception? _error;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan Elapsed { get; private set; }

        public void Run(SqliteConnection connection, SqliteTransaction transaction)
        {
            var started = Stopwatch.GetTimestamp();
            transaction.Save("expiry");
            try
            {
                _result = action(connection, transaction);
                transaction.Release("expiry");
            }
            catch (SqliteException e)
            {
                transaction.Rollback("expiry");
                _error = e;
            }
            Elapsed = Stopwatch.GetElapsedTime(started);
        }

        public void Complete()
        {
            if (_error is null) Completion.TrySetResult(_result);
            else Completion.TrySetException(_error);
        }

        public void Fail(Exception e) => Completion.TrySetException(e);
    }
}
