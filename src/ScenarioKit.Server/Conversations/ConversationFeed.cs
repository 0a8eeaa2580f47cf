using System.Collections.Concurrent;

namespace ScenarioKit.Server.Conversations;

/// <summary>
/// Wakes Direct Line stream readers when a conversation's log grows. Readers re-read the store after
/// <see cref="LastSeq"/>, so a missed wake-up can never lose an activity, only delay it to the next one.
/// A conversation's signal lives while a reader waits on it and for <see cref="IdleLifetime"/> after the last one
/// left (a reader between two waits still sees what was published meanwhile); then it is dropped, so the map holds
/// the conversations being watched, not every conversation ever streamed (issue 14, soak).
/// </summary>
internal sealed class ConversationFeed(TimeProvider time)
{
    static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(2);
    const int MinSweepSize = 1024;

    readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);
    int _sweepAt = MinSweepSize;
    // Counted here because ConcurrentDictionary.Count takes every lock of the map, and every wait checks the size
    // (as RecentConversations does); approximate under races, which a sweep threshold tolerates.
    int _count;

    /// <summary>How many conversations have a signal now (for tests and soak checks).</summary>
    internal int Count => _signals.Count;

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
        if (Volatile.Read(ref _count) >= Volatile.Read(ref _sweepAt)) Sweep();
        Signal signal;
        while (!(signal = SignalOf(key)).TryEnter())
        {
            // Retired by a sweep an instant ago: it leaves the map next, and GetOrAdd then makes a new one.
            Thread.Yield();
        }
        try
        {
            var task = signal.Next(afterSeq);
            if (task.IsCompleted) return;
            await task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            signal.Exit(time.GetTimestamp());
        }
    }

    /// <summary>Drops signals nobody has waited on for <see cref="IdleLifetime"/>; runs when the map doubled since the last sweep.</summary>
    internal void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var (key, signal) in _signals)
        {
            if (signal.TryRetire(now, time) && _signals.TryRemove(new KeyValuePair<string, Signal>(key, signal))) Interlocked.Decrement(ref _count);
        }
        Volatile.Write(ref _sweepAt, Math.Max(MinSweepSize, Volatile.Read(ref _count) * 2));
    }

    Signal SignalOf(string key)
    {
        if (_signals.TryGetValue(key, out var signal)) return signal;
        var made = new Signal();
        if (_signals.TryAdd(key, made))
        {
            Interlocked.Increment(ref _count);
            return made;
        }
        return _signals.TryGetValue(key, out signal) ? signal : SignalOf(key);
    }

    sealed class Signal
    {
        readonly Lock _gate = new();
        TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        long _lastSeq;
        int _waiters;
        long _idleSince;
        bool _retired;

        public bool TryEnter()
        {
            lock (_gate)
            {
                if (_retired) return false;
                _waiters++;
                return true;
            }
        }

        public void Exit(long now)
        {
            lock (_gate)
            {
                if (--_waiters == 0) _idleSince = now;
            }
        }

        public bool TryRetire(long now, TimeProvider time)
        {
            lock (_gate)
            {
                _retired = _waiters == 0 && time.GetElapsedTime(_idleSince, now) >= IdleLifetime;
                return _retired;
            }
        }

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
