namespace ScenarioKit.Server.Conversations;

/// <summary>
/// Serializes turns per conversation: concurrent posts to one conversation run one after another, in
/// arrival order (SemaphoreSlim queues waiters FIFO). Locks are striped by key hash so memory stays
/// bounded however many conversations exist; two conversations sharing a stripe only wait for each
/// other's turn, which is short.
/// </summary>
internal sealed class ConversationLocks
{
    readonly SemaphoreSlim[] _stripes;

    public ConversationLocks(int stripes = 4096)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++) _stripes[i] = new SemaphoreSlim(1, 1);
    }

    public async ValueTask<Releaser> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
