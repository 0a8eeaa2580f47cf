using System.Collections.Frozen;
using ScenarioKit.Model;

namespace ScenarioKit.Insight;

/// <summary>One step as a report shows it: where it is in the YAML and what kind it is.</summary>
internal sealed record StepInfo(string Id, string Flow, string Kind, SourceSpan Span, int Order)
{
    /// <summary>The ask whose <c>onFail</c> this step is part of, or the call whose <c>onError</c> it is part of.</summary>
    public string? FailureOf { get; init; }

    public VariableDef? AskVariable { get; init; }
}

/// <summary>
/// What a report needs of one package version, looked up by the ids the turn log records: steps (YAML span, kind, the
/// variable an ask fills, which ask or call a nested failure branch belongs to), intents, stages and handoff rules.
/// </summary>
internal sealed class ScenarioIndex
{
    readonly FrozenDictionary<string, StepInfo> _steps;
    readonly FrozenDictionary<string, SourceSpan> _rules;
    readonly FrozenDictionary<string, IntentDef> _intents;

    public ScenarioIndex(ScenarioPackage package)
    {
        Package = package;
        Model = package.Model;
        var variables = Model.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var steps = new Dictionary<string, StepInfo>(StringComparer.Ordinal);
        foreach (var flow in Model.Flows) Walk(flow.Name, flow.Steps, null, steps, variables);
        _steps = steps.ToFrozenDictionary(StringComparer.Ordinal);
        var rules = Model.Handoff.Rules.ToDictionary(r => r.Id, r => r.Span, StringComparer.Ordinal);
        foreach (var step in steps.Values.Where(s => s.Kind == "handoff")) rules.TryAdd(step.Id, step.Span);
        _rules = rules.ToFrozenDictionary(StringComparer.Ordinal);
        _intents = Model.Intents.ToFrozenDictionary(i => i.Name, StringComparer.Ordinal);
    }

    public ScenarioPackage Package { get; }
    public ScenarioModel Model { get; }

    public IEnumerable<StepInfo> Steps => _steps.Values.OrderBy(s => s.Order);

    public StepInfo? Step(string id) => _steps.GetValueOrDefault(id);

    public IntentDef? Intent(string name) => _intents.GetValueOrDefault(name);

    /// <summary>The YAML span of a handoff rule, or of the <c>handoff</c> step the rule id names.</summary>
    public SourceSpan? RuleSpan(string id) => _rules.TryGetValue(id, out var span) ? span : null;

    /// <summary>The stage a proactive rule belongs to.</summary>
    public string? ProactiveStage(string ruleId) =>
        Model.Journey.FirstOrDefault(s => s.Proactive.Any(p => p.Id == ruleId))?.Name;

    void Walk(string flow, IEnumerable<Step> steps, string? failureOf, Dictionary<string, StepInfo> into, Dictionary<string, VariableDef> variables)
    {
        foreach (var step in steps)
        {
            into[step.Id] = new StepInfo(step.Id, flow, Kind(step), step.Span, into.Count)
            {
                FailureOf = failureOf,
                AskVariable = step is AskStep asked ? variables.GetValueOrDefault(asked.Variable) ?? variables.GetValueOrDefault(asked.Variable.Split('.')[0]) : null,
            };
            switch (step)
            {
                case AskStep ask: Walk(flow, ask.OnFail, ask.Id, into, variables); break;
                case CallStep call: Walk(flow, call.OnError, call.Id, into, variables); break;
                case IfStep branch: Walk(flow, branch.Then.Concat(branch.Else), failureOf, into, variables); break;
            }
        }
    }

    static string Kind(Step step) => step switch
    {
        SayStep => "say",
        AskStep => "ask",
        CallStep => "call",
        SetStep => "set",
        IfStep => "if",
        GotoStep => "goto",
        HandoffStep => "handoff",
        EndStep => "end",
        TicketStep => "ticket",
        _ => step.GetType().Name,
    };

    /// <summary><c>file:line</c> for a report link.</summary>
    public static string Location(SourceSpan span) => span.Line > 0 ? $"{span.File}:{span.Line}" : "";
}
