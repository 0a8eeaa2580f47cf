using System.Collections.Immutable;
using System.Text.Json;
using ScenarioKit.Model;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Definitions;

/// <summary>
/// A read test file: the scenario it tests and its tests, each already expanded (data-driven cases
/// become one test per row; setup from includes and the file precedes each test's own steps).
/// <see cref="ScenarioPath"/> is null for a fixture that names no scenario (only given, mocks, setup).
/// </summary>
internal sealed record TestSuite(string File, string? ScenarioPath, SourceSpan ScenarioSpan, ImmutableArray<TestDefinition> Tests);

/// <summary>One runnable test. Every step keeps the span of the YAML it came from (possibly an included file).</summary>
internal sealed record TestDefinition(
    string Name,
    SourceSpan Span,
    ImmutableArray<GivenValue> Given,
    string? Locale,
    string Channel,
    DateTimeOffset Clock,
    bool Welcome,
    ImmutableArray<MockDefinition> Mocks,
    ImmutableArray<TestStep> Steps,
    string? Skip);

/// <summary>A variable value given before the conversation starts; the YAML node is typed against the variable's declared type when bound.</summary>
internal sealed record GivenValue(string Variable, YNode Value, SourceSpan Span);

/// <summary>A mocked action: successive calls take successive behaviours; the last one repeats.</summary>
internal sealed record MockDefinition(string Action, ImmutableArray<MockBehaviour> Calls, SourceSpan Span);

/// <summary>
/// One call of a mocked action: return <see cref="Returns"/>, or fail with <see cref="Fails"/>, after
/// <see cref="Delay"/> of fake time; <see cref="With"/> (a subset of the arguments) must match the call.
/// </summary>
internal sealed record MockBehaviour(JsonElement? Returns, string? Fails, TimeSpan Delay, JsonElement? With, SourceSpan Span);

internal abstract record TestStep(SourceSpan Span)
{
    /// <summary>How the step reads in a report: the YAML key and its value, shortened.</summary>
    public abstract string Describe();
}

internal sealed record UserStep(string Text, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => $"user: {Text}";
}

internal sealed record EventStep(string Name, JsonElement? Value, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => Value is { } v ? $"event: {Name} {v.GetRawText()}" : $"event: {Name}";
}

internal sealed record BotStep(ImmutableArray<TextMatcher> Messages, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => "bot: " + string.Join(" | ", Messages.Select(m => m.ToString()));
}

internal sealed record SuggestionsStep(ImmutableArray<TextMatcher> Expected, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => "suggestions: [" + string.Join(", ", Expected.Select(m => m.ToString())) + "]";
}

/// <summary>A value expected in a variable (or shared handoff context); typed against the variable when bound.</summary>
internal sealed record ValueExpectation(string Name, YNode Value, SourceSpan Span);

internal sealed record ExpectStep(
    string? Stage,
    SourceSpan? StageSpan,
    bool ChecksFlow,
    string? Flow,
    SourceSpan? FlowSpan,
    ImmutableArray<ValueExpectation> Vars,
    string? Intent,
    SourceSpan? IntentSpan,
    double? MinConfidence,
    SourceSpan Span) : TestStep(Span)
{
    /// <summary>What asks took so far and from which message (docs/testing.md "filled").</summary>
    public ImmutableArray<FillExpectation> Filled { get; init; } = [];

    /// <summary>Whether the last turn cancelled a form.</summary>
    public bool? Cancelled { get; init; }

    public override string Describe()
    {
        var parts = new List<string>();
        if (Stage is not null) parts.Add($"stage: {Stage}");
        if (!Filled.IsEmpty) parts.Add("filled: {" + string.Join(", ", Filled.Select(f => f.Variable)) + "}");
        if (Cancelled is { } c) parts.Add($"cancelled: {(c ? "true" : "false")}");
        if (ChecksFlow) parts.Add($"flow: {Flow ?? "null"}");
        if (Intent is not null) parts.Add($"intent: {Intent}");
        if (MinConfidence is not null) parts.Add($"confidence: {MinConfidence}");
        if (!Vars.IsEmpty) parts.Add("vars: {" + string.Join(", ", Vars.Select(v => v.Name)) + "}");
        return "expect: {" + string.Join(", ", parts) + "}";
    }
}

/// <summary>
/// <c>filled: { order.date: { value: 2026-12-08, from: 1, text: "12月8日", how: filled } }</c>: the last value an ask
/// took for <see cref="Variable"/>; <see cref="From"/> counts this test's <c>user</c> steps from 1.
/// </summary>
internal sealed record FillExpectation(string Variable, YNode? Value, int? From, TextMatcher? Text, Engine.SlotSource? How, SourceSpan Span);

/// <summary><see cref="ChecksRule"/> with a null <see cref="Rule"/>: the handoff came from a flow's handoff step, not a rule.</summary>
internal sealed record HandoffExpectStep(
    string? Queue,
    SourceSpan? QueueSpan,
    bool ChecksRule,
    string? Rule,
    SourceSpan? RuleSpan,
    TextMatcher? Reason,
    ImmutableArray<string>? Offer,
    ImmutableArray<ValueExpectation> Shared,
    bool? WithinHours,
    SourceSpan Span) : TestStep(Span)
{
    /// <summary>The journey stage at the handoff (issue 9 context).</summary>
    public string? Stage { get; init; }
    public SourceSpan? StageSpan { get; init; }
    public int? Priority { get; init; }

    /// <summary>true: no agent was online and the onTimeout path was taken.</summary>
    public bool? Unattended { get; init; }

    /// <summary>Values the rule's condition read (subset, deep equality).</summary>
    public ImmutableArray<ValueExpectation> ConditionValues { get; init; } = [];

    public override string Describe()
    {
        var parts = new List<string>();
        if (Queue is not null) parts.Add($"queue: {Queue}");
        if (Stage is not null) parts.Add($"stage: {Stage}");
        if (Priority is { } p) parts.Add($"priority: {p}");
        if (Unattended is { } u) parts.Add($"unattended: {(u ? "true" : "false")}");
        if (!ConditionValues.IsEmpty) parts.Add("conditionValues: {" + string.Join(", ", ConditionValues.Select(v => v.Name)) + "}");
        if (ChecksRule) parts.Add($"rule: {Rule ?? "null"}");
        if (Reason is not null) parts.Add($"reason: {Reason}");
        if (Offer is { } o) parts.Add("offer: [" + string.Join(", ", o) + "]");
        if (WithinHours is { } w) parts.Add($"withinHours: {(w ? "true" : "false")}");
        if (!Shared.IsEmpty) parts.Add("shared: {" + string.Join(", ", Shared.Select(v => v.Name)) + "}");
        return "handoff: {" + string.Join(", ", parts) + "}";
    }
}

internal sealed record NoReplyStep(SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => "noReply: true";
}

/// <summary>Advances the test's fake clock (cooldowns, idle timers, queue hours).</summary>
internal sealed record WaitStep(TimeSpan Duration, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => $"wait: {Running.Durations.Show(Duration)}";
}

/// <summary>
/// What the simulated agent hub reports from now on (issue 9). A test with any <c>queue</c> or
/// <c>agent</c> step runs with the hub from its first step (position 1, wait 2m, one agent online).
/// </summary>
internal sealed record QueueStep(int Position, TimeSpan Wait, int AgentsOnline, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => $"queue: {{position: {Position}, wait: {Running.Durations.Show(Wait)}, agentsOnline: {AgentsOnline}}}";
}

internal enum AgentAction { Accept, Say, Return, Resolve }

/// <summary>The simulated agent: accepts, writes to the customer, returns the customer to the bot (optionally into a flow with values), or resolves.</summary>
internal sealed record AgentStep(AgentAction Action, string? Text, string? Flow, SourceSpan? FlowSpan, ImmutableArray<ValueExpectation> Set, SourceSpan Span) : TestStep(Span)
{
    public override string Describe() => Action switch
    {
        AgentAction.Accept => "agent: accept",
        AgentAction.Resolve => "agent: resolve",
        AgentAction.Say => $"agent: {{say: {Text}}}",
        _ => "agent: {return: {" + string.Join(", ", new[] { Flow is null ? null : $"flow: {Flow}", Set.IsEmpty ? null : "set: {" + string.Join(", ", Set.Select(v => v.Name)) + "}" }.OfType<string>()) + "}}",
    };
}

/// <summary>A ticket recorded in the last turn (a scenario's <c>ticket</c> step); only the keys given are checked.</summary>
internal sealed record TicketExpectStep(string? Kind, TextMatcher? Contact, TextMatcher? Time, TextMatcher? Note, TextMatcher? Number, string? Queue, SourceSpan? QueueSpan, SourceSpan Span) : TestStep(Span)
{
    public override string Describe()
    {
        var parts = new List<string>();
        if (Kind is not null) parts.Add($"kind: {Kind}");
        if (Contact is not null) parts.Add($"contact: {Contact}");
        if (Time is not null) parts.Add($"time: {Time}");
        if (Note is not null) parts.Add($"note: {Note}");
        if (Number is not null) parts.Add($"number: {Number}");
        if (Queue is not null) parts.Add($"queue: {Queue}");
        return "ticket: {" + string.Join(", ", parts) + "}";
    }
}
