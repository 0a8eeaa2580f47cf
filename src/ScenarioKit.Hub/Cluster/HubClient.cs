using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using static ScenarioKit.Hub.Cluster.HubWire;

namespace ScenarioKit.Hub.Cluster;

/// <summary>
/// <see cref="IHubOperations"/> on a node that does not run the hub: each call is sent to the leader as a command and
/// answered on this node's reply channel. No answer within <see cref="HubOptions.ForwardTimeout"/>, or a new leader
/// announced while waiting (the old one may have died with the call), ends the call with
/// <see cref="HubException.Unavailable"/>: the caller may try again, the hub never half-applies an operation.
/// </summary>
public sealed class HubClient(IHubBus bus, HubOptions options) : IHubOperations
{
    readonly ConcurrentDictionary<string, TaskCompletionSource<HubReply>> _pending = new(StringComparer.Ordinal);

    public Task<HandoffEntry> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(EnqueueAsync), cancellationToken, Element(request));

    public Task OnLineAsync(string conversationKey, TranscriptLine line, CancellationToken cancellationToken) =>
        CallAsync<bool>(nameof(OnLineAsync), cancellationToken, Element(conversationKey), Element(line));

    public Task OnCustomerTypingAsync(string conversationKey) =>
        CallAsync<bool>(nameof(OnCustomerTypingAsync), CancellationToken.None, Element(conversationKey));

    public Task OnCustomerLeftAsync(string conversationKey, CancellationToken cancellationToken) =>
        CallAsync<bool>(nameof(OnCustomerLeftAsync), cancellationToken, Element(conversationKey));

    public Task OnReturnedElsewhereAsync(string conversationKey, CancellationToken cancellationToken) =>
        CallAsync<bool>(nameof(OnReturnedElsewhereAsync), cancellationToken, Element(conversationKey));

    public async ValueTask<QueuePosition> GetPositionAsync(string conversationId, string queue, CancellationToken cancellationToken) =>
        await CallAsync<QueuePosition>(nameof(GetPositionAsync), cancellationToken, Element(conversationId), Element(queue)).ConfigureAwait(false);

    public Task<AgentAccount> RefreshAccountAsync(string login, CancellationToken cancellationToken) =>
        CallAsync<AgentAccount>(nameof(RefreshAccountAsync), cancellationToken, Element(login));

    /// <summary>Sent without waiting: a lost touch only delays the idle check.</summary>
    public void Touch(string login) =>
        _ = bus.SendAsync(HubChannel.Commands, null, Write(new HubCommand("", bus.NodeId, nameof(Touch), [Element(login)])), CancellationToken.None)
            .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);

    public Task SetStatusAsync(AgentAccount agent, AgentStatus status, CancellationToken cancellationToken) =>
        CallAsync<bool>(nameof(SetStatusAsync), cancellationToken, Element(agent), Element(status));

    public Task<HandoffEntry> AcceptAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(AcceptAsync), cancellationToken, Element(agent), Element(entryId));

    public Task SendAsync(AgentAccount agent, string entryId, string text, CancellationToken cancellationToken) =>
        CallAsync<bool>(nameof(SendAsync), cancellationToken, Element(agent), Element(entryId), Element(text));

    public Task TypingAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken) =>
        CallAsync<bool>(nameof(TypingAsync), cancellationToken, Element(agent), Element(entryId));

    public Task<EntryNote> AddNoteAsync(AgentAccount agent, string entryId, string text, bool whisper, CancellationToken cancellationToken) =>
        CallAsync<EntryNote>(nameof(AddNoteAsync), cancellationToken, Element(agent), Element(entryId), Element(text), Element(whisper));

    public Task<HandoffEntry> TransferAsync(AgentAccount agent, string entryId, string? toQueue, string? toAgent, string? note, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(TransferAsync), cancellationToken, Element(agent), Element(entryId), Element(toQueue), Element(toAgent), Element(note));

    public Task<HandoffEntry> ReturnToBotAsync(AgentAccount agent, string entryId, string? flow, JsonObject? variables, string? message, bool resolved, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(ReturnToBotAsync), cancellationToken, Element(agent), Element(entryId), Element(flow), Element(variables), Element(message), Element(resolved));

    public Task<HandoffEntry> TakeOverAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(TakeOverAsync), cancellationToken, Element(supervisor), Element(entryId));

    public Task<HandoffEntry> JoinAsync(AgentAccount agent, string conversationKey, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(JoinAsync), cancellationToken, Element(agent), Element(conversationKey));

    public Task<HandoffEntry> MonitorAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(MonitorAsync), cancellationToken, Element(supervisor), Element(entryId));

    public Task<HandoffEntry> GetVisibleAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken) =>
        CallAsync<HandoffEntry>(nameof(GetVisibleAsync), cancellationToken, Element(agent), Element(entryId));

    public Task<HubView> GetViewAsync(AgentAccount agent, CancellationToken cancellationToken) =>
        CallAsync<HubView>(nameof(GetViewAsync), cancellationToken, Element(agent));

    /// <summary>This node's consoles, for the leader's presence (<see cref="ConsoleRoster"/>).</summary>
    public Task ReportConsolesAsync(NodeConsoles consoles, CancellationToken cancellationToken) =>
        CallAsync<bool>(HubCommandHandler.ConsolesOp, cancellationToken, Element(consoles));

    /// <summary>An answer from the leader for a call of this node.</summary>
    internal void OnReply(HubReply reply)
    {
        if (_pending.TryGetValue(reply.Id, out var waiting)) waiting.TrySetResult(reply);
    }

    /// <summary>Another node leads now: calls sent before may have died with the previous leader.</summary>
    internal void OnLeaderChanged()
    {
        foreach (var waiting in _pending.Values)
            waiting.TrySetException(Unavailable("The agent hub moved to another node while this was sent; try again."));
    }

    /// <summary>Calls waiting for an answer (for tests).</summary>
    internal int Pending => _pending.Count;

    async Task<T> CallAsync<T>(string op, CancellationToken cancellationToken, params JsonElement[] args)
    {
        var id = Guid.NewGuid().ToString("N");
        var answer = new TaskCompletionSource<HubReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            await bus.SendAsync(HubChannel.Commands, null, Write(new HubCommand(id, bus.NodeId, op, args)), cancellationToken).ConfigureAwait(false);
            HubReply reply;
            try
            {
                reply = await answer.Task.WaitAsync(options.ForwardTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw Unavailable($"The agent hub did not answer within {options.ForwardTimeout.TotalSeconds:0.#} s (no leader node, or it is busy); try again.");
            }
            if (reply.Error is { } code) throw new HubException(code, reply.Message ?? code);
            return reply.Result is { ValueKind: not JsonValueKind.Null } result ? Read<T>(result) : default!;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    static HubException Unavailable(string message) => new(HubException.Unavailable, message);
}
