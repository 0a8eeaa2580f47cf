using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Hub.Tests.Support;

/// <summary>The server's side of the hub, recorded: what the hub told customers and which conversations went back to the bot.</summary>
internal sealed class FakeConversationGateway : IConversationGateway
{
    public sealed record Sent(string EntryId, string Agent, string Text);

    public sealed record Returned(string EntryId, string State, string? Reason, string? Flow, string? Variables, string? Message);

    public ConcurrentQueue<Sent> Messages { get; } = new();

    public ConcurrentQueue<Returned> Returns { get; } = new();

    public ConcurrentQueue<(string ConversationKey, string Agent)> Joins { get; } = new();

    public Dictionary<string, QueueSettings> Settings { get; } = new(StringComparer.Ordinal);

    public List<string> Queues { get; } = ["support", "billing"];

    /// <summary>Flows the scenario has; any other flow fails validation.</summary>
    public HashSet<string> Flows { get; } = new(StringComparer.Ordinal) { "order_status" };

    /// <summary>Conversations still with the bot that a supervisor may join.</summary>
    public Dictionary<string, HandoffRequest> WithBot { get; } = new(StringComparer.Ordinal);

    public Task SendToCustomerAsync(HandoffEntry entry, AgentAccount agent, string text, CancellationToken cancellationToken)
    {
        Messages.Enqueue(new Sent(entry.Id, agent.Login, text));
        return Task.CompletedTask;
    }

    public Task SendTypingAsync(HandoffEntry entry, AgentAccount agent, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReturnToBotAsync(HandoffEntry entry, string state, string? reason, string? flow, JsonObject? variables, string? message, CancellationToken cancellationToken)
    {
        Returns.Enqueue(new Returned(entry.Id, state, reason, flow, variables?.ToJsonString(), message));
        return Task.CompletedTask;
    }

    public Task JoinAsync(string conversationKey, AgentAccount agent, CancellationToken cancellationToken)
    {
        Joins.Enqueue((conversationKey, agent.Login));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ValidateHandbackAsync(HandoffEntry entry, string? flow, JsonObject? variables, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (flow is not null && !Flows.Contains(flow)) errors.Add($"There is no flow '{flow}'.");
        if (variables?["order.number"] is { } number && number.GetValueKind() != System.Text.Json.JsonValueKind.String) errors.Add("order.number must be a string.");
        return Task.FromResult<IReadOnlyList<string>>(errors);
    }

    public Task<IReadOnlyList<TranscriptLine>> ReadTranscriptAsync(string conversationKey, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TranscriptLine>>([]);

    public QueueSettings GetQueueSettings(string scenarioId, string scenarioVersion, string queue) => Settings.GetValueOrDefault(queue, QueueSettings.Default);

    public IReadOnlyList<string> ListQueues() => Queues;

    public Task<IReadOnlyList<LiveConversation>> ListLiveConversationsAsync(TimeSpan activeWithin, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LiveConversation>>([]);

    public HandbackChoices GetHandbackChoices(HandoffEntry entry) => new([.. Flows], []);

    public Task<HandoffRequest?> DescribeForJoinAsync(string conversationKey, CancellationToken cancellationToken) =>
        Task.FromResult(WithBot.GetValueOrDefault(conversationKey));
}
