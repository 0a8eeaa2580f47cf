using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Running;

/// <summary>Recognition of one labelled utterance, as accuracy files and cross-validation measure it.</summary>
internal static class UtteranceRecognizer
{
    /// <summary>
    /// What the engine recognises for an utterance opening a fresh conversation (no flow waiting, first
    /// stage). When nothing was recognised, the nearest intent below the threshold is kept, so a miss
    /// says how close it came instead of <c>(none) (0.00)</c>.
    /// </summary>
    public static async Task<UtteranceResult> RecognizeAsync(ScenarioRuntime runtime, string conversationId, string text, string? expected, SourceSpan span, CancellationToken ct)
    {
        var clock = new FakeTimeProvider(TestFileReader.DefaultClock);
        var services = new TurnServices(clock, new TestActionInvoker([], clock, EngineAdapter.ScriptInvoker(clock)));
        var state = EngineAdapter.Start(runtime, conversationId, []);
        var result = await runtime.RunTurnAsync(state, new MessageInput(text), services, ct);
        var intent = result.Trace.Intent;
        var explanation = intent is null || !string.Equals(intent, expected, StringComparison.Ordinal) ? runtime.ExplainRecognition(text) : null;
        return new UtteranceResult(text, expected, intent, intent is null ? 0 : result.Trace.Confidence, span,
            intent is null ? explanation?.Top.FirstOrDefault() : null, intent is null ? explanation?.OutOfScope : null, explanation?.LexiconMatched ?? default)
        {
            RuleGaveWay = explanation?.RuleGaveWay,
        };
    }
}
