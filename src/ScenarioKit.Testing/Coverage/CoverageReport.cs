using System.Collections.Immutable;
using ScenarioKit.Model;

namespace ScenarioKit.Testing.Coverage;

/// <summary>
/// The kinds of scenario element coverage counts, in report order. <see cref="HubPaths"/> are the agent
/// hub's answers to a waiting customer (<see cref="CoverageCollector.Waiting"/>, <see cref="CoverageCollector.OnTimeout"/>);
/// <see cref="Tickets"/> are the <c>ticket</c> steps, by step id.
/// </summary>
public enum CoverageKind { Stages, Flows, Steps, Intents, ProactiveRules, HandoffRules, HubPaths, Tickets }

/// <summary>One element of the scenario and how many times the tests reached it.</summary>
public sealed record CoverageItem(string Name, int Hits, SourceSpan Span)
{
    public bool Reached => Hits > 0;
}

public sealed record CoverageCategory(CoverageKind Kind, ImmutableArray<CoverageItem> Items)
{
    public int Total => Items.Length;
    public int Reached => Items.Count(i => i.Reached);

    /// <summary>Reached / total as a percentage; an empty category counts as fully covered (nothing to reach).</summary>
    public double Percent => Total == 0 ? 100 : 100.0 * Reached / Total;
}

/// <summary>Coverage of one scenario by every test that ran against it.</summary>
public sealed record ScenarioCoverage(string ScenarioId, string ScenarioPath, ImmutableArray<CoverageCategory> Categories)
{
    public CoverageCategory this[CoverageKind kind] => Categories.First(c => c.Kind == kind);
}

public sealed record CoverageReport(ImmutableArray<ScenarioCoverage> Scenarios)
{
    public static readonly CoverageReport Empty = new([]);
}

/// <summary>
/// Counts what the tests of one scenario reached, from each turn's trace. Thread-safe: tests of one
/// scenario run in parallel and report into the same collector.
/// </summary>
internal sealed class CoverageCollector
{
    readonly ScenarioModel _model;
    readonly string _path;
    readonly Dictionary<(CoverageKind, string), int> _hits = [];
    readonly Lock _gate = new();

    readonly Func<SourceSpan, string>? _display;

    public CoverageCollector(ScenarioModel model, string path, Func<SourceSpan, string>? display = null)
    {
        _model = model;
        _path = path;
        _display = display;
    }

    public void Hit(CoverageKind kind, string? name)
    {
        if (string.IsNullOrEmpty(name)) return;
        lock (_gate)
            _hits[(kind, name)] = _hits.GetValueOrDefault((kind, name)) + 1;
    }

    public void HitAll(CoverageKind kind, IEnumerable<string> names)
    {
        foreach (var n in names) Hit(kind, n);
    }

    /// <summary>The hub path item for the waiting notice, named after its YAML key <c>handoff.waiting</c>.</summary>
    public const string Waiting = "waiting";

    /// <summary>The hub path item for <c>handoff.onTimeout</c> (no agent online, or <c>maxWait</c> passed).</summary>
    public const string OnTimeout = "onTimeout";

    /// <summary>
    /// Hub paths exist once the scenario can hand off at all (a rule or a <c>handoff</c> step): without
    /// <c>waiting</c> or <c>onTimeout</c> in the YAML the engine still sends its built-in texts, and then
    /// the item points at the <c>handoff</c> section (or nowhere, when there is none).
    /// </summary>
    IEnumerable<(string Name, SourceSpan Span)> HubPaths()
    {
        var handoff = _model.Handoff;
        if (handoff.Rules.IsDefaultOrEmpty && !_model.AllSteps().OfType<HandoffStep>().Any()) return [];
        return [(Waiting, handoff.Waiting?.Span ?? handoff.Span), (OnTimeout, handoff.OnTimeout?.Span ?? handoff.Span)];
    }

    public ScenarioCoverage ToCoverage()
    {
        lock (_gate)
        {
            CoverageCategory Category(CoverageKind kind, IEnumerable<(string Name, SourceSpan Span)> all) =>
                new(kind, [.. all.Select(a => new CoverageItem(a.Name, _hits.GetValueOrDefault((kind, a.Name)), Relocate(a.Span)))]);

            return new ScenarioCoverage(_model.Id, _path,
            [
                Category(CoverageKind.Stages, _model.Journey.Select(s => (s.Name, s.Span))),
                Category(CoverageKind.Flows, _model.Flows.Select(f => (f.Name, f.Span))),
                Category(CoverageKind.Steps, _model.AllSteps().Select(s => (s.Id, s.Span))),
                Category(CoverageKind.Intents, _model.Intents.Select(i => (i.Name, i.Span))),
                Category(CoverageKind.ProactiveRules, _model.Journey.SelectMany(s => s.Proactive).Select(p => (p.Id, p.Span))),
                Category(CoverageKind.HandoffRules, _model.Handoff.Rules.Select(r => (r.Id, r.Span))),
                Category(CoverageKind.HubPaths, HubPaths()),
                Category(CoverageKind.Tickets, _model.AllSteps().OfType<TicketStep>().Select(t => (t.Id, t.Span))),
            ]);
        }
    }

    // Coverage items name their file as the reports name test files (see ScenarioCache.DisplayFile).
    SourceSpan Relocate(SourceSpan span)
    {
        if (_display is null || span.Line == 0) return span;
        var shown = _display(span);
        return span with { File = shown[..shown.LastIndexOf('(')] };
    }
}
