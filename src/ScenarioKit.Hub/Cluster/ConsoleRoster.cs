using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Hub.Cluster;

/// <summary>
/// On the leader: the agent consoles connected to each node, from the nodes' reports (<see cref="NodeConsoles"/>, at
/// every connect and disconnect and as a heartbeat). Changes become the hub's connect and disconnect calls, so presence
/// and its grace periods work as on one node; a node not heard from for <see cref="HubOptions.NodeExpiry"/> (it died)
/// counts as having no consoles. The first report a node sends to a new leader also carries the status each agent had,
/// which the previous leader kept in memory only.
/// </summary>
public sealed class ConsoleRoster(HubService hub, HubOptions options, TimeProvider time) : IDisposable
{
    public void Dispose() => _gate.Dispose();

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly Dictionary<string, (Dictionary<string, int> Connections, DateTimeOffset SeenUtc)> _nodes = new(StringComparer.Ordinal);

    /// <summary>Forgets every node (this node just took the lead: the hub's presence starts afresh).</summary>
    public void Reset()
    {
        lock (_nodes) _nodes.Clear();
    }

    public async Task ApplyAsync(NodeConsoles report, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Dictionary<string, int> before;
            bool first;
            lock (_nodes)
            {
                first = !_nodes.TryGetValue(report.Node, out var known);
                before = known.Connections ?? new(StringComparer.Ordinal);
            }
            var after = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var console in report.Consoles)
            {
                var login = console.Account.Login;
                after[login] = console.Connections;
                for (var i = before.GetValueOrDefault(login); i < console.Connections; i++) await hub.ConnectedAsync(console.Account, cancellationToken).ConfigureAwait(false);
                for (var i = console.Connections; i < before.GetValueOrDefault(login); i++) await hub.DisconnectedAsync(login, cancellationToken).ConfigureAwait(false);
                if (first && console.Status is { } heard && Enum.TryParse<AgentStatus>(heard, ignoreCase: true, out var status)
                    && !string.Equals(hub.GetAgentState(login)?.Status, heard, StringComparison.OrdinalIgnoreCase))
                    await hub.SetStatusAsync(console.Account, status, cancellationToken).ConfigureAwait(false);
            }
            foreach (var (login, count) in before)
            {
                if (after.ContainsKey(login)) continue;
                for (var i = 0; i < count; i++) await hub.DisconnectedAsync(login, cancellationToken).ConfigureAwait(false);
            }
            lock (_nodes) _nodes[report.Node] = (after, time.GetUtcNow());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Nodes silent for longer than <see cref="HubOptions.NodeExpiry"/> lose their consoles (their agents turn offline after the grace period).</summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<string> silent;
        lock (_nodes) silent = [.. _nodes.Where(n => now - n.Value.SeenUtc >= options.NodeExpiry).Select(n => n.Key)];
        foreach (var node in silent)
        {
            await ApplyAsync(new NodeConsoles(node, []), cancellationToken).ConfigureAwait(false);
            lock (_nodes) _nodes.Remove(node);
        }
    }
}
