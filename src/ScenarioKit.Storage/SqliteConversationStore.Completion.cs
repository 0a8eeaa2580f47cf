using System.Buffers;

namespace ScenarioKit.Storage;

public sealed partial class SqliteConversationStore
{
    /// <summary>A turn waiting for the writer: its write, its packed activities, and the task its caller awaits.</summary>
    /// <param name="packedActivities">Rented from <see cref="ArrayPool{T}.Shared"/> (given back when the turn is answered); null when it has none.</param>
    /// <param name="packedLength">How much of <paramref name="packedActivities"/> the activities fill.</param>
    sealed class PendingWrite(TurnWrite write, byte[]? packedActivities, int packedLength) : WriterItem
    {
        byte[]? _packed = packedActivities;

        public TurnWrite Write { get; } = write;

        /// <summary>The turn's activities as one stored value (<see cref="PackedActivities"/>); empty when it has none.</summary>
        public ReadOnlySpan<byte> Packed => _packed.AsSpan(0, packedLength);

        /// <summary>
        /// Completed by a <see cref="TurnAnswers"/> work item, which runs the caller's continuation inline (so never completed
        /// on the writer thread: the serial writer must not run request code).
        /// </summary>
        public TaskCompletionSource Completion { get; } = new();

        /// <summary>Why the turn was not written (a conflict, a failed commit); null once it is committed.</summary>
        public Exception? Error { get; set; }

        public override void Fail(Exception error)
        {
            Error = error;
            TurnAnswers.Queue([this], 1);
        }

        public void Answer()
        {
            // The writer is done with the turn (answered after its batch, or failed without reaching it), so the packed
            // buffer goes back to the pool; once only, as a turn failed while draining the queue may be answered twice.
            if (Interlocked.Exchange(ref _packed, null) is { } packed) ArrayPool<byte>.Shared.Return(packed);
            if (Error is null) Completion.TrySetResult();
            else Completion.TrySetException(Error);
        }
    }

    /// <summary>
    /// Answers a batch's turns from a few thread-pool work items, one per core, each running its share of the callers'
    /// continuations one after another. One item per turn (a continuation queued by each task) cost the pool a wake-up and
    /// a dispatch per turn (docs/performance.md, "Session 7: the writer"); one item per batch would answer every turn of a
    /// batch on one core while the other idles.
    /// </summary>
    sealed class TurnAnswers(PendingWrite[] turns, int start, int end) : IThreadPoolWorkItem
    {
        public static void Queue(PendingWrite[] turns, int items)
        {
            var start = 0;
            for (var left = Math.Min(items, turns.Length); left > 0; left--)
            {
                var end = start + (turns.Length - start + left - 1) / left;
                ThreadPool.UnsafeQueueUserWorkItem(new TurnAnswers(turns, start, end), preferLocal: false);
                start = end;
            }
        }

        public void Execute()
        {
            for (var i = start; i < end; i++) turns[i].Answer();
        }
    }
}
