using System.Collections.Immutable;

namespace ScenarioKit.Engine;

/// <summary>Something the bot sends; a turn's outputs are in delivery order.</summary>
public abstract record BotOutput
{
    private protected BotOutput() { }
}

/// <summary>A message with suggested replies; <see cref="ExpectingInput"/> is true for prompts (Bot Framework <c>inputHint: expectingInput</c>).</summary>
public sealed record BotMessage(string Text, ImmutableArray<string> Suggestions, bool ExpectingInput) : BotOutput
{
    public override string ToString() => Suggestions.IsDefaultOrEmpty ? Text : $"{Text} [{string.Join(" | ", Suggestions)}]";
}

/// <summary>The handoff to a human agent (Bot Framework <c>handoff.initiate</c> event; value = <see cref="HandoffDecision.ToEventValue"/>).</summary>
public sealed record HandoffEventOutput(HandoffDecision Decision) : BotOutput;

/// <summary>A contact request recorded by a <c>ticket</c> step, for the agent hub to store (it is not shown to the customer).</summary>
public sealed record TicketOutput(Ticket Ticket) : BotOutput;
