using ScenarioKit.Engine;
using ScenarioKit.Model;

namespace ScenarioKit.Insight.HotSpots;

/// <summary>
/// The intent an utterance came closest to, with its score, even below the recognition threshold. Today it runs a turn
/// of a fresh conversation on a copy of the scenario whose threshold and ambiguity margin are zero (as the accuracy
/// runner recognises); <see cref="FindAsync"/> is the one place to switch to <c>ScenarioRuntime.ExplainRecognition</c>.
/// </summary>
internal sealed class NearestIntent
{
    readonly ScenarioRuntime _runtime;
    readonly TurnServices _services = new(new FixedClock(), new NoActions());

    public NearestIntent(ScenarioPackage package)
    {
        var model = package.Model with { Recognizer = package.Model.Recognizer with { Threshold = double.Epsilon, AmbiguityMargin = 0 } };
        _runtime = ScenarioRuntime.Load(new ScenarioPackage(package.Manifest, model));
    }

    public async Task<(string? Intent, double Score)> FindAsync(string text, CancellationToken cancellationToken)
    {
        var state = _runtime.Start("insight-nearest-intent");
        var result = await _runtime.RunTurnAsync(state, new MessageInput(text), _services, cancellationToken).ConfigureAwait(false);
        return result.Trace.Intent is { } intent ? (intent, Math.Round(result.Trace.Confidence, 3)) : (null, 0);
    }

    /// <summary>Recognition must not reach the outside world: every action fails.</summary>
    sealed class NoActions : IActionInvoker
    {
        public ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> arguments, CancellationToken ct) =>
            ValueTask.FromResult(ActionOutcome.Failure("actions do not run while a report recognises an utterance"));
    }

    sealed class FixedClock : TimeProvider
    {
        static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Noon;
    }
}
