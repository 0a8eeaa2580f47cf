using System.Collections.Immutable;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;

namespace ScenarioKit.Testing.Running;

/// <summary>
/// K-fold cross-validation over a scenario's intent examples: for each fold, a runtime is loaded from the
/// scenario with that fold's examples removed (patterns, keywords and everything else unchanged), and the
/// removed examples are recognised as fresh conversations, as accuracy files are.
/// </summary>
internal static class CrossValidator
{
    public static async Task<CrossValidationResult> RunAsync(LoadedScenario scenario, int k, double? minF1, int parallelism, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var model = scenario.Package.Model;
        var folds = ImmutableArray.CreateBuilder<FoldResult>();
        var utterances = ImmutableArray.CreateBuilder<UtteranceResult>();
        for (var fold = 0; fold < k; fold++)
        {
            var (training, heldOut) = Split(model, k, fold);
            if (heldOut.Count == 0) continue;
            var runtime = EngineAdapter.Load(scenario.Package with { Model = training });
            var results = new UtteranceResult[heldOut.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, results.Length),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct },
                async (i, token) =>
                {
                    var (text, intent) = heldOut[i];
                    var span = intent.Span with { File = ScenarioCache.DisplayFile(scenario.Path, intent.Span.File) };
                    results[i] = await UtteranceRecognizer.RecognizeAsync(runtime, $"cross-validation:{model.Id}:{fold}:{i}", text, intent.Name, span, token);
                });
            var trained = training.Intents.Sum(i => i.Examples.Length);
            folds.Add(new FoldResult(fold, trained, results.Length, results.Count(r => r.Correct)));
            utterances.AddRange(results);
        }
        return new CrossValidationResult(Syntax.TestFileReader.DisplayPath(scenario.Path), model.Id, k, folds.ToImmutable(), utterances.ToImmutable(), minF1, []);
    }

    /// <summary>The scenario trained without fold <paramref name="fold"/>'s examples, and those examples with their intent.</summary>
    static (ScenarioModel Training, List<(string Text, IntentDef Intent)> HeldOut) Split(ScenarioModel model, int k, int fold)
    {
        var heldOut = new List<(string, IntentDef)>();
        var intents = model.Intents.Select((intent, i) =>
        {
            var kept = ImmutableArray.CreateBuilder<string>();
            for (var e = 0; e < intent.Examples.Length; e++)
            {
                if (CrossValidationResult.FoldOf(i, e, k) == fold) heldOut.Add((intent.Examples[e], intent));
                else kept.Add(intent.Examples[e]);
            }
            return intent with { Examples = kept.ToImmutable() };
        }).ToImmutableArray();
        return (model with { Intents = intents }, heldOut);
    }
}
