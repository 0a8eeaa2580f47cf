using ScenarioKit.Storage;

namespace ScenarioKit.Insight.Traffic;

/// <summary>A move from one step or stage to another, counted in <see cref="ScenarioTraffic"/>.</summary>
public readonly record struct Transition(string From, string To);

/// <summary>
/// How often each part of a scenario was used in stored conversations (the diagram's <c>--db</c> overlay).
/// Steps and stages are keyed by their compiled ids (<c>order_status/2</c>) and names.
/// </summary>
public sealed record ScenarioTraffic(
    long Conversations,
    long Turns,
    IReadOnlyDictionary<string, long> StepsReached,
    IReadOnlyDictionary<string, long> StepRetries,
    IReadOnlyDictionary<Transition, long> StepTransitions,
    IReadOnlyDictionary<string, long> FlowStarts,
    IReadOnlyDictionary<string, long> StagesReached,
    IReadOnlyDictionary<Transition, long> StageTransitions,
    IReadOnlyDictionary<string, long> DropOffs,
    IReadOnlyDictionary<string, long> ProactiveFired,
    IReadOnlyDictionary<string, long> HandoffRules)
{
    /// <summary>The share of the conversations that reached a step and went quiet waiting at it (0 when it was never reached).</summary>
    public double DropOffRate(string stepId) =>
        StepsReached.TryGetValue(stepId, out var reached) && reached > 0 ? (double)DropOffs.GetValueOrDefault(stepId) / reached : 0;
}

/// <summary>
/// Counts <see cref="ScenarioTraffic"/> from the turn log in one streamed pass (memory grows with the scenario's size, not
/// the number of turns). It relies on <see cref="ITurnLog.ReadTurnsAsync"/> handing over one conversation's turns
/// together, oldest first.
/// </summary>
/// <remarks>
/// A step is <em>reached</em> each time a conversation moves onto it; the same ask asking again (a retry) is counted
/// apart. A conversation <em>dropped off</em> at a step when its last turn left it waiting there and it has been quiet
/// for <c>quietAfter</c> before <c>asOfUtc</c> (so a customer still typing is not a drop-off).
/// </remarks>
public sealed class TrafficCounter(DateTimeOffset asOfUtc, TimeSpan quietAfter)
{
    /// <summary>How long a conversation must be quiet before its waiting step counts as a drop-off (the report's default session timeout).</summary>
    public static readonly TimeSpan DefaultQuietAfter = InsightOptions.DefaultSessionTimeout;

    readonly Dictionary<string, long> _stepsReached = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _stepRetries = new(StringComparer.Ordinal);
    readonly Dictionary<Transition, long> _stepTransitions = [];
    readonly Dictionary<string, long> _flowStarts = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _stagesReached = new(StringComparer.Ordinal);
    readonly Dictionary<Transition, long> _stageTransitions = [];
    readonly Dictionary<string, long> _dropOffs = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _proactive = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _handoffRules = new(StringComparer.Ordinal);
    readonly HashSet<string> _stagesOfConversation = new(StringComparer.Ordinal);

    long _conversations;
    long _turns;
    string? _key;
    string? _lastStep;
    string? _stage;
    string? _waitingStep;
    DateTimeOffset _lastTurnUtc;

    public static async Task<ScenarioTraffic> CountAsync(ITurnLog log, TurnLogQuery query, DateTimeOffset asOfUtc, TimeSpan quietAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var counter = new TrafficCounter(asOfUtc, quietAfter);
        await foreach (var entry in log.ReadTurnsAsync(query, cancellationToken).ConfigureAwait(false))
            counter.Add(entry);
        return counter.Result();
    }

    /// <summary>Counts one turn; turns must arrive grouped by conversation, oldest first.</summary>
    public void Add(TurnLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!string.Equals(entry.Key, _key, StringComparison.Ordinal))
        {
            EndConversation();
            _key = entry.Key;
            _conversations++;
        }
        _turns++;
        _lastTurnUtc = entry.AtUtc;
        var turn = TurnSummary.FromUtf8Json(entry.Json.Span);

        foreach (var step in turn.Steps ?? [])
        {
            if (string.Equals(step, _lastStep, StringComparison.Ordinal))
            {
                Increment(_stepRetries, step);
                continue;
            }
            Increment(_stepsReached, step);
            if (_lastStep is not null)
                Increment(_stepTransitions, new Transition(_lastStep, step));
            _lastStep = step;
        }
        foreach (var flow in turn.FlowsStarted ?? [])
            Increment(_flowStarts, flow);
        foreach (var rule in turn.Proactive ?? [])
            Increment(_proactive, rule);
        if (turn.HandoffRule is { } handoffRule)
            Increment(_handoffRules, handoffRule);

        // Hub and agent turns carry no stage: the customer's place in the journey is unchanged by them.
        if (turn.Stage is { } stage && !string.Equals(stage, _stage, StringComparison.Ordinal))
        {
            if (_stage is not null)
                Increment(_stageTransitions, new Transition(_stage, stage));
            if (_stagesOfConversation.Add(stage))
                Increment(_stagesReached, stage);
            _stage = stage;
        }
        // A conversation handed to a human did not drop off at the bot's step, whatever the bot still waits for.
        if (turn.HandoffRule is not null || turn.Input is "agent" or "handoff")
            _waitingStep = null;
        else
            _waitingStep = turn.WaitingStep;
    }

    public ScenarioTraffic Result()
    {
        EndConversation();
        _key = null;
        return new ScenarioTraffic(
            _conversations, _turns,
            new Dictionary<string, long>(_stepsReached, StringComparer.Ordinal),
            new Dictionary<string, long>(_stepRetries, StringComparer.Ordinal),
            new Dictionary<Transition, long>(_stepTransitions),
            new Dictionary<string, long>(_flowStarts, StringComparer.Ordinal),
            new Dictionary<string, long>(_stagesReached, StringComparer.Ordinal),
            new Dictionary<Transition, long>(_stageTransitions),
            new Dictionary<string, long>(_dropOffs, StringComparer.Ordinal),
            new Dictionary<string, long>(_proactive, StringComparer.Ordinal),
            new Dictionary<string, long>(_handoffRules, StringComparer.Ordinal));
    }

    void EndConversation()
    {
        if (_key is not null && _waitingStep is { } waiting && asOfUtc - _lastTurnUtc >= quietAfter)
            Increment(_dropOffs, waiting);
        _lastStep = null;
        _stage = null;
        _waitingStep = null;
        _stagesOfConversation.Clear();
    }

    static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
