using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Server.Bots;

/// <summary>
/// One loaded scenario package version, as the protocol layers see it. The engine adapter implements it
/// over <c>ScenarioRuntime</c>; the protocol tests implement it with a hand-written bot. State is opaque
/// bytes so the store never needs to know the engine's state shape. Implementations are thread-safe;
/// a state value is only ever used by one turn at a time (the server serializes turns per conversation).
/// </summary>
internal interface IScenarioBot
{
    string ScenarioId { get; }
    string Version { get; }
    string Locale { get; }

    byte[] Start(string conversationId, string userId);

    ValueTask<BotTurnResult> RunTurnAsync(byte[] state, BotInput input, CancellationToken cancellationToken);
}

internal abstract record BotInput;

internal sealed record BotMessageInput(string Text, string? ActivityId, JsonElement? Value) : BotInput;

internal sealed record BotEventInput(string Name, JsonElement Value, string? ActivityId) : BotInput;

internal sealed record BotConversationStartInput : BotInput;

internal sealed record BotHandoffStatusInput(string State, JsonElement? Message) : BotInput
{
    /// <summary>Why it failed (<c>timeout</c>, <c>noAgents</c>, <c>abandoned</c>); the flow and values of a return to the bot.</summary>
    public string? Reason { get; init; }
    public string? Flow { get; init; }
    public IReadOnlyDictionary<string, JsonNode?>? Variables { get; init; }

    /// <summary>Sent by the built-in hub (not a channel): the hub already knows, so the turn is not reported back to it.</summary>
    public bool FromHub { get; init; }
}

/// <summary>A human agent's message, recorded in the engine's transcript (the bot never answers it).</summary>
internal sealed record BotAgentMessageInput(string Text, string? AgentName) : BotInput;

internal abstract record BotOutput;

internal sealed record BotTextOutput(string Text, ImmutableArray<string> Suggestions, bool ExpectingInput) : BotOutput;

/// <summary>A handoff decision; <see cref="Value"/> becomes the <c>handoff.initiate</c> event's value (§5).</summary>
internal sealed record BotHandoffOutput(JsonElement Value, string? Queue) : BotOutput;

/// <summary>A contact request from a scenario's <c>ticket</c> step (<c>Ticket.ToJson()</c>), for the agent hub; not an activity.</summary>
internal sealed record BotTicketOutput(JsonElement Value) : BotOutput;

/// <summary>A handoff that reached no human (nobody of the queue online; the customer got the timeout path): recorded by the hub, not sent.</summary>
internal sealed record BotUnattendedHandoffOutput(JsonElement Value) : BotOutput;

/// <summary>What the turn did, for metrics and the handoff flag.</summary>
internal sealed record BotTurnInfo(string? Intent, bool Fallback, bool Duplicate, bool WithAgent)
{
    /// <summary>What the engine made of the turn, for the turn log; the server adds the input and the replies.</summary>
    public ScenarioKit.Storage.TurnSummary? Summary { get; init; }
}

internal sealed record BotTurnResult(byte[] State, ImmutableArray<BotOutput> Outputs, BotTurnInfo Info);
