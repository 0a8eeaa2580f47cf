using System.Text.Json.Nodes;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Hub.Cluster;

/// <summary>
/// What the server asks of the hub's live part (the open entries, offers, presence and the gate in
/// <see cref="HubService"/>). One node runs it: <see cref="HubService"/> answers on that node, and on every other node
/// <see cref="HubClient"/> forwards the same calls to it (docs/deploy.md, "Several nodes"). Reads and writes that only
/// touch the store (tickets, notes, earlier sessions) stay on <see cref="HubService"/> of the node that serves the request.
/// </summary>
public interface IHubOperations
{
    Task<HandoffEntry> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken);

    Task OnLineAsync(string conversationKey, TranscriptLine line, CancellationToken cancellationToken);

    Task OnCustomerTypingAsync(string conversationKey);

    Task OnCustomerLeftAsync(string conversationKey, CancellationToken cancellationToken);

    Task OnReturnedElsewhereAsync(string conversationKey, CancellationToken cancellationToken);

    /// <summary>Where a conversation (known by its channel id) stands in <paramref name="queue"/>, for the engine's waiting notice.</summary>
    ValueTask<QueuePosition> GetPositionAsync(string conversationId, string queue, CancellationToken cancellationToken);

    Task<AgentAccount> RefreshAccountAsync(string login, CancellationToken cancellationToken);

    void Touch(string login);

    Task SetStatusAsync(AgentAccount agent, AgentStatus status, CancellationToken cancellationToken);

    Task<HandoffEntry> AcceptAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken);

    Task SendAsync(AgentAccount agent, string entryId, string text, CancellationToken cancellationToken);

    Task TypingAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken);

    Task<EntryNote> AddNoteAsync(AgentAccount agent, string entryId, string text, bool whisper, CancellationToken cancellationToken);

    Task<HandoffEntry> TransferAsync(AgentAccount agent, string entryId, string? toQueue, string? toAgent, string? note, CancellationToken cancellationToken);

    Task<HandoffEntry> ReturnToBotAsync(AgentAccount agent, string entryId, string? flow, JsonObject? variables, string? message, bool resolved, CancellationToken cancellationToken);

    Task<HandoffEntry> TakeOverAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken);

    Task<HandoffEntry> JoinAsync(AgentAccount agent, string conversationKey, CancellationToken cancellationToken);

    Task<HandoffEntry> MonitorAsync(AgentAccount supervisor, string entryId, CancellationToken cancellationToken);

    Task<HandoffEntry> GetVisibleAsync(AgentAccount agent, string entryId, CancellationToken cancellationToken);

    /// <summary>The open entries <paramref name="agent"/> may see, every agent's state and the online count per queue, in one answer.</summary>
    Task<HubView> GetViewAsync(AgentAccount agent, CancellationToken cancellationToken);
}

/// <summary>The console's live lists at one moment.</summary>
public sealed record HubView(IReadOnlyList<HandoffEntry> Entries, IReadOnlyList<AgentState> Agents, IReadOnlyDictionary<string, int> Online)
{
    public string? DisplayName(string? login) => login is null ? null : Agents.FirstOrDefault(a => a.Login == login)?.DisplayName ?? login;
}

/// <summary>Agent consoles connecting to and leaving this node: the agent's presence.</summary>
public interface IConsolePresence
{
    Task ConnectedAsync(AgentAccount agent, CancellationToken cancellationToken);

    Task DisconnectedAsync(string login, CancellationToken cancellationToken);
}
