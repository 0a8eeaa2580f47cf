using System.Collections.Concurrent;

namespace ScenarioKit.Storage;

/// <summary>
/// A queue of many adders and one taker that sleeps at once when it is empty: the SQLite writer's. A
/// <see cref="BlockingCollection{T}"/> spins before it sleeps, and on two cores that spin is mostly <c>sched_yield</c>,
/// each a context switch that gives the core to a request thread and leaves the writer queued behind it
/// (docs/performance.md, "Session 14").
/// </summary>
sealed class WriterQueue<T> where T : class
{
    readonly ConcurrentQueue<T> _items = new();
    // Monitor's Wait and Pulse, which System.Threading.Lock does not have.
    readonly object _gate = new();
    int _sleeping;
    int _adding;
    volatile bool _completed;

    /// <exception cref="InvalidOperationException">The queue takes no more items (<see cref="Complete"/>).</exception>
    public void Add(T item)
    {
        // Counted in, so that Complete can wait for an Add that passed the check: no item is added after the taker has
        // seen the queue closed and empty, where it would wait for ever.
        Interlocked.Increment(ref _adding);
        try
        {
            if (_completed) throw new InvalidOperationException("The queue takes no more items.");
            _items.Enqueue(item);
        }
        finally
        {
            // Also the full fence between adding and reading _sleeping: the taker sets _sleeping and then looks at the
            // queue, this side adds and then reads _sleeping. Without a fence on both sides each could read the other's
            // old value, and the item would wait for the next one.
            Interlocked.Decrement(ref _adding);
        }
        if (Volatile.Read(ref _sleeping) != 0) Wake();
    }

    /// <summary>The next item without waiting; false when there is none now.</summary>
    public bool TryTake(out T item) => _items.TryDequeue(out item!);

    /// <summary>The next item, waiting for one; false once the queue is closed and empty. One taker only.</summary>
    public bool Take(out T item)
    {
        while (true)
        {
            if (_items.TryDequeue(out item!)) return true;
            lock (_gate)
            {
                Interlocked.Exchange(ref _sleeping, 1);
                if (_items.TryDequeue(out item!))
                {
                    _sleeping = 0;
                    return true;
                }
                if (_completed)
                {
                    _sleeping = 0;
                    // An Add that passed its check before Complete may still be adding its item.
                    WaitForAdds();
                    return _items.TryDequeue(out item!);
                }
                Monitor.Wait(_gate);
                _sleeping = 0;
            }
        }
    }

    /// <summary>Takes no more items; the taker still gets every item added before.</summary>
    public void Complete()
    {
        _completed = true;
        // The full fence between closing and reading _adding (Add counts itself in, then reads _completed). A volatile
        // write followed by a read may pass each other; then each side could read the other's old value, and an item
        // would be added after the failing writer's last drain, its turn never answered.
        Interlocked.MemoryBarrier();
        WaitForAdds();
        Wake();
    }

    void WaitForAdds()
    {
        var wait = new SpinWait();
        while (Volatile.Read(ref _adding) != 0) wait.SpinOnce();
    }

    void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }
}
