using ScenarioKit.Insight.HotSpots;

namespace ScenarioKit.Insight.Outcomes;

/// <summary>Counts per outcome.</summary>
internal sealed class OutcomeTally
{
    readonly int[] _counts = new int[Enum.GetValues<Outcome>().Length];

    public void Add(Outcome outcome) => _counts[(int)outcome]++;

    public int this[Outcome outcome] => _counts[(int)outcome];

    public OutcomeCounts ToCounts() => new(this[Outcome.Contained], this[Outcome.Escalated], this[Outcome.Abandoned], this[Outcome.Unengaged], this[Outcome.Ongoing]);
}

internal sealed class StepTotals
{
    public int Reached;
    public int AbandonedHere;
    public int AskRetries;
    public int OnFail;
    public int ActionFailures;
    public readonly List<string> RetrySamples = [];

    public const int MaxSamples = 3;

    public void Retry(string text)
    {
        AskRetries++;
        if (RetrySamples.Count < MaxSamples && text.Length > 0 && !RetrySamples.Contains(text)) RetrySamples.Add(text);
    }
}

internal sealed class ProactiveTotals
{
    public int Shown;
    public int Engaged;
    public readonly OutcomeTally Outcomes = new();
    public readonly Dictionary<string, int> LastStages = new(StringComparer.Ordinal);

    public void Followed(Outcome outcome, string? lastStage)
    {
        Outcomes.Add(outcome);
        var stage = lastStage ?? "";
        LastStages[stage] = LastStages.GetValueOrDefault(stage) + 1;
    }
}

internal sealed class HandoffTotals
{
    public int Count;
    public int WithinHours;
    public int OutOfHours;
    public int Unattended;
    public int Accepted;
    public double WaitSeconds;
    public readonly Dictionary<string, int> Outcomes = new(StringComparer.Ordinal);

    public void Outcome(string outcome) => Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;

    /// <summary>The hub's record of the human conversation (it knows the wait even when the turn log has no acceptance).</summary>
    public void AgentEnded(string outcome, double? waitSeconds)
    {
        if (waitSeconds is { } wait)
        {
            Accepted++;
            WaitSeconds += wait;
        }
        Outcome(outcome);
    }
}

/// <summary>Everything counted for one scenario while its conversations stream past; only aggregates, never turns.</summary>
internal sealed class ScenarioTotals(string scenarioId, IAgentOutcomes? agentOutcomes)
{
    public string ScenarioId { get; } = scenarioId;
    public IAgentOutcomes? AgentOutcomes { get; } = agentOutcomes;
    public long Turns;
    public readonly OutcomeTally Conversations = new();
    public readonly SortedSet<string> Versions = new(StringComparer.Ordinal);
    public readonly SortedSet<string> MissingVersions = new(StringComparer.Ordinal);
    public readonly Dictionary<string, OutcomeTally> Intents = new(StringComparer.Ordinal);
    public readonly Dictionary<string, int> Stages = new(StringComparer.Ordinal);
    public readonly Dictionary<(string From, string To), int> Transitions = [];
    public readonly Dictionary<string, ProactiveTotals> ProactiveRules = new(StringComparer.Ordinal);
    public readonly Dictionary<string, StepTotals> Steps = new(StringComparer.Ordinal);
    public readonly Dictionary<(string Rule, string Queue), HandoffTotals> Handoffs = [];
    public readonly UtteranceGroups HotSpots = new();

    /// <summary>The newest package seen (step locations and intents come from it).</summary>
    public ScenarioIndex? Index { get; set; }

    public OutcomeTally Intent(string name) => GetOrAdd(Intents, name);

    public StepTotals Step(string id) => GetOrAdd(Steps, id);

    public ProactiveTotals Proactive(string rule) => GetOrAdd(ProactiveRules, rule);

    public HandoffTotals Handoff(string rule, string queue) => GetOrAdd(Handoffs, (rule, queue));

    public void StageReached(string stage) => Stages[stage] = Stages.GetValueOrDefault(stage) + 1;

    public void Transition(string from, string to) => Transitions[(from, to)] = Transitions.GetValueOrDefault((from, to)) + 1;

    static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key) where TKey : notnull where TValue : new()
    {
        if (!map.TryGetValue(key, out var value)) map[key] = value = new TValue();
        return value;
    }
}
