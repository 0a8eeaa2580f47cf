using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Engine;

/// <summary>What arrives for one turn. <see cref="ActivityId"/> (when given) is used to ignore redeliveries.</summary>
public abstract record TurnInput(string? ActivityId);

/// <summary>Text typed (or a suggested action clicked) by the customer.</summary>
public sealed record MessageInput(string Text, string? ActivityId = null, JsonElement? Value = null) : TurnInput(ActivityId);

/// <summary>A site/behaviour event (<c>page_view</c>, <c>page_dwell</c>, <c>cart_updated</c>, <c>idle</c>, custom) with its value.</summary>
public sealed record EventInput(string Name, JsonElement? Value = null, string? ActivityId = null) : TurnInput(ActivityId);

/// <summary>The conversation was opened (Bot Framework <c>conversationUpdate</c>): the welcome message is sent.</summary>
public sealed record ConversationStartInput(string? ActivityId = null) : TurnInput(ActivityId);

/// <summary>
/// The agent hub reports on a handoff: <c>accepted</c> (an agent took it), <c>failed</c> or
/// <c>completed</c> (both return the conversation to the bot). <see cref="Message"/> is text for the
/// customer; a hub's <c>value.message</c> as it arrived goes in <see cref="Value"/> instead.
/// </summary>
public sealed record HandoffStatusInput(string State, string? Message = null, string? ActivityId = null) : TurnInput(ActivityId)
{
    /// <summary>
    /// The hub's <c>message</c> as raw JSON (Bot Framework <c>handoff.status</c>: hub-defined, may be an
    /// object). Only a string is sent to the customer, and only when <see cref="Message"/> is empty;
    /// any other value has no meaning the engine could know, so it is accepted and not shown.
    /// </summary>
    public JsonElement? Value { get; init; }

    /// <summary>The text the customer is sent when the conversation comes back to the bot, if any.</summary>
    internal string? CustomerText =>
        !string.IsNullOrWhiteSpace(Message) ? Message.Trim()
        : Value is { ValueKind: JsonValueKind.String } v && v.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim()
        : null;

    /// <summary>Why a handoff <c>failed</c>: <see cref="Timeout"/>, <see cref="NoAgents"/>, <see cref="Abandoned"/> or free text. Timeout and noAgents send the customer down <c>handoff.onTimeout</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>On <c>completed</c>: the flow the bot starts in the same turn (check it first with <see cref="ScenarioRuntime.ValidateHandback"/>).</summary>
    public string? Flow { get; init; }

    /// <summary>On <c>completed</c>: values the agent set, applied before <see cref="Flow"/> runs. Undeclared names are ignored and reported in the trace.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Variables { get; init; }

    public const string Timeout = "timeout";
    public const string NoAgents = "noAgents";
    public const string Abandoned = "abandoned";

    public const string Accepted = "accepted";
    public const string Failed = "failed";
    public const string Completed = "completed";
}

/// <summary>
/// A human agent's message to the customer, recorded in the transcript (role <c>agent</c>); the bot
/// never answers it. Only meaningful while the conversation is with an agent.
/// </summary>
public sealed record AgentMessageInput(string Text, string? AgentName = null, string? ActivityId = null) : TurnInput(ActivityId);
