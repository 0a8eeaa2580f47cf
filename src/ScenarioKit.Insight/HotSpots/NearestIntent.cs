using ScenarioKit.Engine;
using ScenarioKit.Model;

namespace ScenarioKit.Insight.HotSpots;

/// <summary>
/// The intent an utterance came closest to, with its score, even below the recognition threshold: the engine's own
/// explanation of its recognition (<see cref="ScenarioRuntime.ExplainRecognition"/>), as the accuracy runner asks it.
/// Pure: no conversation, no flow, no action runs.
/// </summary>
internal sealed class NearestIntent(ScenarioPackage package)
{
    readonly ScenarioRuntime _runtime = ScenarioRuntime.Load(package);

    public (string? Intent, double Score) Find(string text) =>
        _runtime.ExplainRecognition(text).Top is [var best, ..] ? (best.Intent, Math.Round(best.Score, 3)) : (null, 0);
}
