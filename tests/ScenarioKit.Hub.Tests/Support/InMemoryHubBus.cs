using System.Threading.Channels;
using ScenarioKit.Hub.Cluster;

namespace ScenarioKit.Hub.Tests.Support;

/// <summary>
/// Nodes in one process talking as over PostgreSQL: every listener hears commands, pushes and announcements, a reply
/// reaches its node only, and one node at a time holds the lead. <see cref="InMemoryHubBus.Kill"/> is a node dying:
/// it hears and sends nothing more and its lead ends, so the next node takes it.
/// </summary>
internal sealed class InMemoryHubNetwork
{
    readonly Lock _gate = new();
    readonly List<InMemoryHubBus> _nodes = [];
    InMemoryHubBus? _leader;

    public InMemoryHubBus Join(string node)
    {
        var bus = new InMemoryHubBus(this, node);
        lock (_gate) _nodes.Add(bus);
        return bus;
    }

    internal void Deliver(HubChannel channel, string? to, string payload)
    {
        List<InMemoryHubBus> nodes;
        lock (_gate) nodes = [.. _nodes];
        foreach (var node in nodes)
            if (channel != HubChannel.Replies || node.NodeId == to) node.Receive(channel, payload);
    }

    internal bool TryLead(InMemoryHubBus bus)
    {
        lock (_gate)
        {
            if (_leader is { Dead: false } && _leader != bus) return false;
            _leader = bus;
            return true;
        }
    }
}

internal sealed class InMemoryHubBus(InMemoryHubNetwork network, string node) : IHubBus
{
    readonly Channel<(HubChannel, string)> _inbox = Channel.CreateUnbounded<(HubChannel, string)>();
    readonly CancellationTokenSource _killed = new();

    public string NodeId => node;

    public bool Dead => _killed.IsCancellationRequested;

    /// <summary>Commands this node hears are dropped while set (a leader that hangs).</summary>
    public bool DeafToCommands { get; set; }

    public void Kill() => _killed.Cancel();

    internal void Receive(HubChannel channel, string payload)
    {
        if (Dead || channel == HubChannel.Commands && DeafToCommands) return;
        _inbox.Writer.TryWrite((channel, payload));
    }

    public Task SendAsync(HubChannel channel, string? to, string payload, CancellationToken cancellationToken)
    {
        if (!Dead) network.Deliver(channel, to, payload);
        return Task.CompletedTask;
    }

    public async Task ListenAsync(Func<HubChannel, string, Task> received, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _killed.Token);
        try
        {
            await foreach (var (channel, payload) in _inbox.Reader.ReadAllAsync(stop.Token)) await received(channel, payload);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _killed.Token);
        try
        {
            while (!network.TryLead(this)) await Task.Delay(20, stop.Token);
            await lead(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
