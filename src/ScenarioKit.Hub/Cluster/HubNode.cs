using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using static ScenarioKit.Hub.Cluster.HubWire;

namespace ScenarioKit.Hub.Cluster;

/// <summary>
/// This node's part in a hub shared by several nodes (docs/deploy.md, "Several nodes"). The node that holds the bus's
/// leader lock runs the hub (<see cref="HubService"/>, reloaded from the store when it takes over) and answers the
/// other nodes' commands; every other node forwards its calls (<see cref="HubClient"/>). Either way the server calls
/// this object, so its call sites do not know where the hub runs. Consoles connected here are reported to the leader
/// at every change and every <see cref="HubOptions.NodeHeartbeat"/> (when the leader also repeats that it leads), and
/// pushes from other nodes are handed to them.
/// </summary>
public sealed class HubNode : IHubOperations, IConsolePresence, IDisposable
{
    readonly HubService _hub;
    readonly HubClient _client;
    readonly IHubBus _bus;
    readonly RelayHubNotifier _notifier;
    readonly HubOptions _options;
    readonly TimeProvider _time;
    readonly ILogger<HubNode> _logger;
    readonly ConsoleRoster _roster;
    readonly HubCommandHandler _commands;
    readonly Dictionary<string, (AgentAccount Account, int Connections)> _consoles = new(StringComparer.Ordinal);
    volatile bool _leading;
    volatile string? _leader;
    CancellationToken _leadership;
    DateTimeOffset _ledSinceUtc;

    public HubNode(HubService hub, HubClient client, IHubBus bus, RelayHubNotifier notifier, HubOptions options, TimeProvider time, ILogger<HubNode> logger)
    {
        (_hub, _client, _bus, _notifier, _options, _time, _logger) = (hub, client, bus, notifier, options, time, logger);
        _roster = new ConsoleRoster(hub, options, time);
        // Through this node, not the hub directly: forwarded calls get the same checks as local ones (GetPositionAsync).
        _commands = new HubCommandHandler(this, _roster, logger);
    }

    public void Dispose() => _roster.Dispose();

    public string NodeId => _bus.NodeId;

    /// <summary>Whether this node runs the hub now.</summary>
    public bool IsLeader => _leading;

    /// <summary>The node that last announced it leads (null until one did).</summary>
    public string? Leader => _leader;

    IHubOperations Target => _leading ? _hub : _client;

    /// <summary>
    /// Listens on the bus, competes for the lead (running <paramref name="lead"/> — the hub's timers — while it has it)
    /// and reports this node's consoles, until <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken) => Task.WhenAll(
        _bus.ListenAsync(OnMessageAsync, cancellationToken),
        _bus.LeadAsync(lost => LeadAsync(lead, lost), cancellationToken),
        HeartbeatAsync(cancellationToken));

    async Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken lost)
    {
        await _hub.StartAsync(lost).ConfigureAwait(false);
        _roster.Reset();
        // This node's own consoles count before anything is routed here; the other nodes report theirs on hearing the announcement.
        await _roster.ApplyAsync(Snapshot(), lost).ConfigureAwait(false);
        _leadership = lost;
        _ledSinceUtc = _time.GetUtcNow();
        _leading = true;
        _leader = NodeId;
        // Calls this node forwarded to the previous leader may have died with it; from now on they run here.
        _client.OnLeaderChanged();
        if (_logger.IsEnabled(LogLevel.Information))
            _logger.LogInformation("Hub: this node ({Node}) leads the agent hub now; open entries reloaded from the store.", NodeId);
        try
        {
            await _bus.SendAsync(HubChannel.Leader, null, NodeId, lost).ConfigureAwait(false);
            await Task.WhenAll(lead(lost), ExpireNodesAsync(lost)).ConfigureAwait(false);
        }
        finally
        {
            _leading = false;
            _logger.LogWarning("Hub: this node ({Node}) no longer leads the agent hub.", NodeId);
        }
    }

    async Task ExpireNodesAsync(CancellationToken lost)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.NodeHeartbeat, lost).ConfigureAwait(false);
                await _roster.ExpireAsync(lost).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
        }
    }

    async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.NodeHeartbeat, cancellationToken).ConfigureAwait(false);
                // The leader repeats its announcement, so nodes started after it learn who leads.
                if (_leading) await _bus.SendAsync(HubChannel.Leader, null, NodeId, cancellationToken).ConfigureAwait(false);
                await ReportConsolesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogDebug(e, "Hub: this node's consoles could not be reported to the leader; retrying at the next heartbeat.");
            }
        }
    }

    async Task OnMessageAsync(HubChannel channel, string payload)
    {
        switch (channel)
        {
            case HubChannel.Commands when _leading:
                var command = Parse<HubCommand>(payload);
                if (command.From != NodeId) _ = Task.Run(() => AnswerAsync(command));
                break;
            case HubChannel.Replies:
                _client.OnReply(Parse<HubReply>(payload));
                break;
            case HubChannel.Pushes:
                var push = Parse<HubPush>(payload);
                if (push.From != NodeId) await _notifier.DeliverAsync(push).ConfigureAwait(false);
                break;
            case HubChannel.Leader:
                if (_leader == payload) break;
                // A node that just started hears the leader at its next heartbeat; its calls went to that leader already.
                if (_leader is not null) _client.OnLeaderChanged();
                _leader = payload;
                if (payload == NodeId) break;
                // Not awaited here: the answer comes through this same loop.
                _ = Task.Run(() => ReportSafelyAsync());
                if (_logger.IsEnabled(LogLevel.Information)) _logger.LogInformation("Hub: node {Leader} leads the agent hub; this node ({Node}) forwards to it.", payload, NodeId);
                break;
        }
    }

    async Task AnswerAsync(HubCommand command)
    {
        var reply = await _commands.HandleAsync(command, _leadership).ConfigureAwait(false);
        if (command.Id.Length == 0) return;
        try
        {
            await _bus.SendAsync(HubChannel.Replies, command.From, Write(reply), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Hub: the answer to {Op} for node {Node} could not be sent; it will time out there.", command.Op, command.From);
        }
    }

    // ---- consoles on this node ----

    public Task ConnectedAsync(AgentAccount agent, CancellationToken cancellationToken)
    {
        lock (_consoles) _consoles[agent.Login] = (agent, _consoles.GetValueOrDefault(agent.Login).Connections + 1);
        return ReportConsolesAsync(cancellationToken);
    }

    public Task DisconnectedAsync(string login, CancellationToken cancellationToken)
    {
        lock (_consoles)
        {
            if (_consoles.TryGetValue(login, out var c))
            {
                if (c.Connections <= 1) _consoles.Remove(login);
                else _consoles[login] = (c.Account, c.Connections - 1);
            }
        }
        return ReportConsolesAsync(cancellationToken);
    }

    Task ReportConsolesAsync(CancellationToken cancellationToken) =>
        _leading ? _roster.ApplyAsync(Snapshot(), cancellationToken) : _client.ReportConsolesAsync(Snapshot(), cancellationToken);

    async Task ReportSafelyAsync()
    {
        try
        {
            await ReportConsolesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(e, "Hub: this node's consoles could not be reported to the new leader; retrying at the next heartbeat.");
        }
    }

    NodeConsoles Snapshot()
    {
        lock (_consoles) return new NodeConsoles(NodeId, [.. _consoles.Values.Select(c => new NodeConsole(c.Account, c.Connections, _notifier.StatusOf(c.Account.Login)))]);
    }

    // ---- the hub's operations, where it runs ----

    public Task<HandoffEntry> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken) => Target.EnqueueAsync(request, cancellationToken);

    public Task OnLineAsync(string conversationKey, TranscriptLine line, CancellationToken cancellationToken) => Target.OnLineAsync(conversationKey, line, cancellationToken);

    public Task OnCustomerTypingAsync(string conversationKey) => Target.OnCustomerTypingAsync(conversationKey);

    public Task OnCustomerLeftAsync(string conversationKey, CancellationToken cancellationToken) => Target.OnCustomerLeftAsync(conversationKey, cancellationToken);

    public Task OnReturnedElsewhereAsync(string conversationKey, CancellationToken cancellationToken) => Target.OnReturnedElsewhereAsync(conversationKey, cancellationToken);

    /// <summary>
    /// As the hub answers, except that a leader that took over less than two heartbeats ago does not yet say "nobody is
    /// online" (the engine would send the customer the no-agents path): the other nodes' consoles may not have reported
    /// yet. It answers unavailable instead, and the engine queues the customer as usual.
    /// </summary>
    public async ValueTask<QueuePosition> GetPositionAsync(string conversationId, string queue, CancellationToken cancellationToken)
    {
        var position = await Target.GetPositionAsync(conversationId, queue, cancellationToken).ConfigureAwait(false);
        if (_leading && position.AgentsOnline == 0 && _time.GetUtcNow() - _ledSinceUtc < 2 * _options.NodeHeartbeat)
            throw new HubException(HubException.Unavailable, "The agent hub has just changed node and has not heard from every node's consoles yet.");
        return position;
    }

    public Task<AgentAccount> RefreshAccountAsync(string login, CancellationToken cancellationToken) => Target.RefreshAccountAsync(login, cancellationToken);

    public void Touch(string login) => Target.Touch(login);

    public Task SetStatusAsync(AgentAccount agent, AgentStatus status, CancellationToken cancellationToken) => Target.SetStatusAsync(agent, status, cancellationToken);

    public Task<HandoffEntry> AcceptAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken) => Target.AcceptAsync(agent, entryId, cancellationToken);

    public Task SendAsync(AgentAccount agent, string entryId, string text, CancellationToken cancellationToken) => Target.SendAsync(agent, entryId, text, cancellationToken);

    public Task TypingAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken) => Target.TypingAsync(agent, entryId, cancellationToken);

    public Task<EntryNote> AddNoteAsync(AgentAccount agent, string entryId, string text, bool whisper, CancellationToken cancellationToken) =>
        Target.AddNoteAsync(agent, entryId, text, whisper, cancellationToken);

    public Task<HandoffEntry> TransferAsync(AgentAccount agent, string entryId, string? toQueue, string? toAgent, string? note, CancellationToken cancellationToken) =>
        Target.TransferAsync(agent, entryId, toQueue, toAgent, note, cancellationToken);

    public Task<HandoffEntry> ReturnToBotAsync(AgentAccount agent, string entryId, string? flow, JsonObject? variables, string? message, bool resolved, CancellationToken cancellationToken) =>
        Target.ReturnToBotAsync(agent, entryId, flow, variables, message, resolved, cancellationToken);

    public Task<HandoffEntry> TakeOverAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken) => Target.TakeOverAsync(supervisor, entryId, cancellationToken);

    public Task<HandoffEntry> JoinAsync(AgentAccount agent, string conversationKey, CancellationToken cancellationToken) => Target.JoinAsync(agent, conversationKey, cancellationToken);

    public Task<HandoffEntry> MonitorAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken) => Target.MonitorAsync(supervisor, entryId, cancellationToken);

    public Task<HandoffEntry> GetVisibleAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken) => Target.GetVisibleAsync(agent, entryId, cancellationToken);

    public Task<HubView> GetViewAsync(AgentAccount agent, CancellationToken cancellationToken) => Target.GetViewAsync(agent, cancellationToken);
}
