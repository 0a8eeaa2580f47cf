using System.Collections.Concurrent;

namespace ScenarioKit.Server.Conversations;

/// <summary>
/// Wakes Direct Line stream readers when a conversation's log grows. Readers re-read the store after
/// <see cref="LastSeq"/>, so a missed wake-up can never lose an activity, only delay it to the next one.
/// </summary>
internal sealed class ConversationFeed
{
    readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);

    public void Publish(string key, long lastSeq)
    {
        if (_signals.TryGetValue(key, out var signal)) signal.Set(lastSeq);
    }

    /// <summary>Wakes every waiting reader to re-read the store (announcements of other nodes' turns may have been missed).</summary>
    public void PublishAll()
    {
        foreach (var signal in _signals.Values) signal.Set(0);
    }

    /// <summary>Waits until the log passes <paramref name="afterSeq"/>, the timeout elapses, or cancellation.</summary>
    public async Task WaitAsync(string key, long afterSeq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = _signals.GetOrAdd(key, static _ => new Signal());
        var task = signal.Next(afterSeq);
        if (task.IsCompleted) return;
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    sealed class Signal
    {
        readonly Lock _gate = new();
        TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        long _lastSeq;

        public Task Next(long afterSeq)
        {
            lock (_gate) return _lastSeq > afterSeq ? Task.CompletedTask : _tcs.Task;
        }

        public void Set(long lastSeq)
        {
            TaskCompletionSource done;
            lock (_gate)
            {
                if (lastSeq > _lastSeq) _lastSeq = lastSeq;
                done = _tcs;
                _tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            done.TrySetResult();
        }
    }
}
