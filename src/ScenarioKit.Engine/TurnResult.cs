using System.Collections.Immutable;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>The outcome of one turn: the new state (the input state is untouched), outputs in delivery order, the handoff if any, and a trace.</summary>
public sealed record TurnResult(ConversationState State, ImmutableArray<BotOutput> Outputs, HandoffDecision? Handoff, TurnTrace Trace);

/// <summary>
/// What happened in a turn, for logs, tests and coverage. <see cref="Duplicate"/>: the activity id
/// was already processed, so the turn produced nothing.
/// </summary>
public sealed record TurnTrace(
    string? Intent,
    double Confidence,
    bool Fallback,
    string? Stage,
    ImmutableArray<string> StepsRun,
    ImmutableArray<string> FlowsStarted,
    ImmutableArray<string> ProactiveFired,
    string? HandoffRule,
    ImmutableArray<RuntimeError> Errors,
    bool Duplicate)
{
    /// <summary>The customer was sent the waiting notice (<c>handoff.waiting</c> or the built-in text) this turn.</summary>
    public bool WaitingNotice { get; init; }

    /// <summary>
    /// The customer was sent <c>handoff.onTimeout</c> this turn: no agent was online at the handoff, or
    /// the hub gave up waiting (<c>failed</c> with reason <c>timeout</c> or <c>noAgents</c>).
    /// </summary>
    public bool TimeoutPath { get; init; }

    /// <summary>The ask values taken this turn: answers, asks filled (and skipped) from a message, corrections (docs/language.md "Slot filling").</summary>
    public ImmutableArray<FilledSlot> Filled { get; init; } = [];

    /// <summary>The customer cancelled the waiting form this turn (docs/language.md "Cancel").</summary>
    public bool Cancelled { get; init; }
}

/// <summary>A runtime failure (expression, regex, action, step limit) with the YAML span it came from. It never ends the conversation.</summary>
public sealed record RuntimeError(string Message, SourceSpan Span)
{
    public override string ToString() => Span.Line > 0 ? $"{Span}: {Message}" : Message;
}
