using System.Text.Json.Nodes;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Hub;

/// <summary>One line of a conversation as the console shows it.</summary>
public sealed record TranscriptLine(long Seq, string Role, string? Name, string Text, DateTimeOffset AtUtc)
{
    public const string Customer = "customer";
    public const string Bot = "bot";
    public const string Agent = "agent";
}

/// <summary>A queue's settings from the scenario the conversation runs on.</summary>
public sealed record QueueSettings(TimeSpan? MaxWait, bool AutoAssign, IReadOnlyList<CannedResponse> Canned)
{
    public static readonly QueueSettings Default = new(null, true, []);
}

public sealed record CannedResponse(string Title, string Text);

/// <summary>A conversation still with the bot, for the supervisor's live view and proactive join.</summary>
public sealed record LiveConversation(string ConversationKey, string ScenarioId, string? Stage, bool WithAgent, DateTimeOffset UpdatedUtc, string? CustomerName);

/// <summary>
/// How the hub reaches conversations: the server implements it over its conversation service, so every write
/// goes through the conversation's lock and the engine's state (the engine's <c>WithAgent</c> is the single
/// owner flag: the bot never talks while it is set, and an agent's message is refused once it is cleared).
/// </summary>
public interface IConversationGateway
{
    /// <summary>Delivers an agent's message to the customer as an activity from the agent (<c>from.name</c> = display name).</summary>
    /// <exception cref="HubException">The conversation is not with a human (it went back to the bot).</exception>
    Task SendToCustomerAsync(HandoffEntry entry, AgentAccount agent, string text, CancellationToken cancellationToken);

    Task SendTypingAsync(HandoffEntry entry, AgentAccount agent, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the conversation back to the bot: Bot Framework <c>handoff.status</c> <paramref name="state"/>
    /// (<c>completed</c> or <c>failed</c>) with an optional reason, flow to resume, variables and message.
    /// </summary>
    Task ReturnToBotAsync(HandoffEntry entry, string state, string? reason, string? flow, JsonObject? variables, string? message, CancellationToken cancellationToken);

    /// <summary>A human joins a conversation that is still with the bot (the bot falls silent from then on).</summary>
    Task JoinAsync(string conversationKey, AgentAccount agent, CancellationToken cancellationToken);

    /// <summary>Errors (empty when fine) for returning to the bot into <paramref name="flow"/> with <paramref name="variables"/>.</summary>
    Task<IReadOnlyList<string>> ValidateHandbackAsync(HandoffEntry entry, string? flow, JsonObject? variables, CancellationToken cancellationToken);

    Task<IReadOnlyList<TranscriptLine>> ReadTranscriptAsync(string conversationKey, CancellationToken cancellationToken);

    QueueSettings GetQueueSettings(string scenarioId, string scenarioVersion, string queue);

    /// <summary>The queue names of every loaded scenario (for transfer targets and the supervisor view).</summary>
    IReadOnlyList<string> ListQueues();

    Task<IReadOnlyList<LiveConversation>> ListLiveConversationsAsync(TimeSpan activeWithin, CancellationToken cancellationToken);

    /// <summary>What an agent may choose when returning the conversation to the bot: the scenario's flows and declared variables.</summary>
    HandbackChoices GetHandbackChoices(HandoffEntry entry);

    /// <summary>Builds an entry for a conversation an agent joins proactively; null when it does not exist.</summary>
    Task<HandoffRequest?> DescribeForJoinAsync(string conversationKey, CancellationToken cancellationToken);
}

/// <summary>Flows an agent can return the customer into, and the variables (with type and allowed values) they may set.</summary>
public sealed record HandbackChoices(IReadOnlyList<string> Flows, IReadOnlyList<HandbackVariable> Variables);

public sealed record HandbackVariable(string Name, string Type, IReadOnlyList<string> Enum);

/// <summary>A refused hub operation; <see cref="Code"/> is stable for clients, the message is for people.</summary>
public sealed class HubException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string Invalid = "invalid";

    /// <summary>No node runs the hub at the moment (a leader change), or it did not answer in time: try again.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The hub failed for a reason that is not the caller's (logged where it happened).</summary>
    public const string Failed = "failed";
}
