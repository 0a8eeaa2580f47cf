using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Diagnostics;

namespace ScenarioKit.Testing.Binding;

/// <summary>
/// Checks a read test suite against the compiled scenario before anything runs: every intent, stage,
/// variable, action, queue, flow and handoff rule a test names must exist (SK51xx), and given or
/// expected values must fit their variables.
/// </summary>
internal static class TestBinder
{
    internal static readonly string[] Channels = ["chat", "phone", "callback", "email"];

    public static void Check(TestSuite suite, ScenarioModel model, DiagnosticBag diagnostics)
    {
        var names = new ScenarioNames(model);
        foreach (var test in suite.Tests)
        {
            foreach (var given in test.Given) CheckValue(given.Variable, given.Value, given.Span, names, diagnostics);
            foreach (var mock in test.Mocks)
                if (!names.Actions.Contains(mock.Action))
                    diagnostics.Add(TestDiagnostics.UnknownAction, mock.Span, mock.Action, Suggest(mock.Action, names.Actions));
        }
        foreach (var test in suite.Tests) CheckFilledFrom(test, diagnostics);
        // Setup steps are shared by every test: check each step once, by its span.
        var seen = new HashSet<SourceSpan>();
        foreach (var step in suite.Tests.SelectMany(t => t.Steps))
            if (seen.Add(step.Span)) CheckStep(step, names, diagnostics);
    }

    static void CheckStep(TestStep step, ScenarioNames names, DiagnosticBag diagnostics)
    {
        switch (step)
        {
            case EventStep e when !names.Events.Contains(e.Name):
                diagnostics.Add(TestDiagnostics.UnusedEvent, e.Span, e.Name);
                break;
            case ExpectStep x:
                if (x.Stage is not null && !names.Stages.Contains(x.Stage))
                    diagnostics.Add(TestDiagnostics.UnknownStage, x.StageSpan ?? x.Span, x.Stage, Suggest(x.Stage, names.Stages));
                if (x.Flow is not null && !names.Flows.Contains(x.Flow))
                    diagnostics.Add(TestDiagnostics.UnknownFlow, x.FlowSpan ?? x.Span, x.Flow, Suggest(x.Flow, names.Flows));
                if (x.Intent is not null && x.Intent != Running.TestExecution.NoIntent && !names.Intents.Contains(x.Intent))
                    diagnostics.Add(TestDiagnostics.UnknownIntent, x.IntentSpan ?? x.Span, x.Intent, Suggest(x.Intent, names.Intents));
                foreach (var v in x.Vars) CheckValue(v.Name, v.Value, v.Span, names, diagnostics);
                foreach (var f in x.Filled)
                {
                    if (!names.AskVariables.Contains(f.Variable))
                        diagnostics.Add(TestDiagnostics.NotAnAskVariable, f.Span, f.Variable, Suggest(f.Variable, names.AskVariables));
                    else if (f.Value is { } value && names.Variables.ContainsKey(f.Variable))
                        CheckValue(f.Variable, value, f.Span, names, diagnostics);
                }
                break;
            case AgentStep { Action: AgentAction.Return } a:
                if (a.Flow is not null && !names.Flows.Contains(a.Flow))
                    diagnostics.Add(TestDiagnostics.UnknownFlow, a.FlowSpan ?? a.Span, a.Flow, Suggest(a.Flow, names.Flows));
                foreach (var v in a.Set) CheckValue(v.Name, v.Value, v.Span, names, diagnostics);
                break;
            case TicketExpectStep t:
                if (t.Queue is not null && !names.Queues.Contains(t.Queue))
                    diagnostics.Add(TestDiagnostics.UnknownQueue, t.QueueSpan ?? t.Span, t.Queue, Suggest(t.Queue, names.Queues));
                break;
            case HandoffExpectStep h:
                if (h.Stage is not null && !names.Stages.Contains(h.Stage))
                    diagnostics.Add(TestDiagnostics.UnknownStage, h.StageSpan ?? h.Span, h.Stage, Suggest(h.Stage, names.Stages));
                if (h.Queue is not null && !names.Queues.Contains(h.Queue))
                    diagnostics.Add(TestDiagnostics.UnknownQueue, h.QueueSpan ?? h.Span, h.Queue, Suggest(h.Queue, names.Queues));
                if (h.Rule is not null && !names.Rules.Contains(h.Rule))
                    diagnostics.Add(TestDiagnostics.UnknownHandoffRule, h.RuleSpan ?? h.Span, h.Rule, Suggest(h.Rule, names.Rules));
                foreach (var o in h.Offer ?? [])
                    if (!Channels.Contains(o)) diagnostics.Add(TestDiagnostics.UnknownOffer, h.Span, o);
                foreach (var s in h.Shared)
                {
                    if (!names.Shared.TryGetValue(s.Name, out var variable))
                        diagnostics.Add(TestDiagnostics.UnknownVariable, s.Span, s.Name,
                            names.Shared.Count == 0 ? " shared with agents (the scenario shares nothing)" : $" shared with agents (shared: {string.Join(", ", names.SharedKeys)})");
                    else CheckValue(variable, s.Value, s.Span, names, diagnostics);
                }
                break;
        }
    }

    /// <summary>A <c>filled</c> expectation's <c>from</c> must name a user message that comes before it in the same test.</summary>
    static void CheckFilledFrom(TestDefinition test, DiagnosticBag diagnostics)
    {
        var users = 0;
        foreach (var step in test.Steps)
        {
            if (step is UserStep) users++;
            if (step is not ExpectStep x) continue;
            foreach (var f in x.Filled)
                if (f.From is { } from && from > users) diagnostics.Add(TestDiagnostics.FilledFromLater, f.Span, from, users);
        }
    }

    static void CheckValue(string variable, Syntax.YNode value, SourceSpan span, ScenarioNames names, DiagnosticBag diagnostics)
    {
        if (!names.Variables.TryGetValue(variable, out var def))
        {
            diagnostics.Add(TestDiagnostics.UnknownVariable, span, variable, Suggest(variable, names.Variables.Keys));
            return;
        }
        if (TypedValues.Convert(value, def, out var problem) is null)
            diagnostics.Add(TestDiagnostics.VariableTypeMismatch, value.Span, variable, TypedValues.TypeName(def), problem);
    }

    /// <summary>"; did you mean 'x'?" for the closest known name within a small edit distance, else empty.</summary>
    internal static string Suggest(string name, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(name, k))).Where(p => p.d <= Math.Max(2, name.Length / 3)).OrderBy(p => p.d).ThenBy(p => p.k, StringComparer.Ordinal).FirstOrDefault();
        return best.k is null ? "" : $"; did you mean '{best.k}'?";
    }

    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}

/// <summary>The names a scenario declares, for reference checks.</summary>
internal sealed class ScenarioNames
{
    public ScenarioNames(ScenarioModel model)
    {
        Intents = [.. model.Intents.Select(i => i.Name)];
        Stages = [.. model.Journey.Select(s => s.Name)];
        Flows = [.. model.Flows.Select(f => f.Name)];
        Actions = [.. model.Actions.Select(a => a.Name)];
        Queues = [.. model.Handoff.Queues.Select(q => q.Name)];
        // A flow's handoff step hands off under its step id, so those ids are valid `rule:` values too.
        Rules = [.. model.Handoff.Rules.Select(r => r.Id)
            .Concat(model.AllSteps().OfType<HandoffStep>().Select(h => h.Id))];
        Variables = model.Variables.ToImmutableDictionary(v => v.Name, StringComparer.Ordinal);
        AskVariables = [.. model.AllSteps().OfType<AskStep>().Select(a => a.Variable)];
        Shared = model.Handoff.Share.ToImmutableDictionary(s => s.Key, s => s.Variable, StringComparer.Ordinal);
        SharedKeys = [.. model.Handoff.Share.Select(s => s.Key)];
        Events = [.. model.Journey.SelectMany(s => s.EntersOn.Select(e => e.Event).Concat(s.Proactive.Select(p => p.On.Event)))
            .Concat(model.Flows.Select(f => f.Trigger?.Event?.Event).OfType<string>())];
    }

    public ImmutableHashSet<string> AskVariables { get; }
    public ImmutableHashSet<string> Intents { get; }
    public ImmutableHashSet<string> Stages { get; }
    public ImmutableHashSet<string> Flows { get; }
    public ImmutableHashSet<string> Actions { get; }
    public ImmutableHashSet<string> Queues { get; }
    public ImmutableHashSet<string> Rules { get; }
    public ImmutableHashSet<string> Events { get; }
    public ImmutableDictionary<string, VariableDef> Variables { get; }
    public ImmutableDictionary<string, string> Shared { get; }

    /// <summary>The shared keys in source order (dictionary order varies between processes: string hashes are randomised).</summary>
    public ImmutableArray<string> SharedKeys { get; }
}
