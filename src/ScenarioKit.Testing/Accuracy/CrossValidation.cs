using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Testing.Accuracy;

/// <summary>One fold: how many examples trained the recogniser, how many were held out and how many of those were recognised.</summary>
public sealed record FoldResult(int Index, int Trained, int HeldOut, int Correct)
{
    public double Accuracy => HeldOut == 0 ? 0 : (double)Correct / HeldOut;
}

/// <summary>
/// K-fold cross-validation of a scenario's intent examples (<c>scenariokit test --cross-validate K</c>):
/// each example was recognised by a runtime built without it. <see cref="Utterances"/> holds every
/// held-out example once, spans on its intent.
/// </summary>
/// <param name="MinF1">When set, every intent with held-out examples must reach this F1 for the result to pass.</param>
public sealed record CrossValidationResult(
    string ScenarioPath,
    string ScenarioId,
    int K,
    ImmutableArray<FoldResult> Folds,
    ImmutableArray<UtteranceResult> Utterances,
    double? MinF1,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public double Accuracy => Utterances.IsEmpty ? 0 : (double)Utterances.Count(u => u.Correct) / Utterances.Length;

    /// <inheritdoc cref="AccuracyResult.Metrics"/>
    public ClassificationMetrics Metrics => new(Utterances);

    /// <summary>Intents whose held-out F1 is below <see cref="MinF1"/> (none when no minimum is set).</summary>
    public ImmutableArray<IntentMetric> BelowMinimum =>
        MinF1 is { } min ? [.. Metrics.PerIntent.Where(m => m.Intent is not null && m.Support > 0 && m.F1 < min)] : [];

    /// <summary>A scenario without examples (patterns and keywords only) has nothing to cross-validate and passes.</summary>
    public bool Passed => !HasErrors && BelowMinimum.IsEmpty;

    public ImmutableArray<UtteranceResult> Misrecognised => [.. Utterances.Where(u => !u.Correct)];

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"{K}-fold cross-validation of {ScenarioId}: accuracy {Accuracy:P1} ({Utterances.Count(u => u.Correct)}/{Utterances.Length})");
        if (MinF1 is { } min) b.Append(CultureInfo.InvariantCulture, $", minimum F1 per intent {min:0.00}: {(Passed ? "passed" : "FAILED")}");
        b.Append('\n');
        foreach (var f in Folds)
            b.Append(CultureInfo.InvariantCulture, $"  fold {f.Index + 1}: {f.Correct}/{f.HeldOut} held-out examples recognised (trained on {f.Trained})\n");
        AccuracyResult.AppendMetrics(b, Metrics);
        AccuracyResult.AppendMisses(b, Misrecognised);
        return b.ToString();
    }

    /// <summary>
    /// The fold each example of an intent is held out in: stratified round-robin in file order, each intent
    /// starting one fold further than the one before, so every fold gets a share of every intent and
    /// intents with fewer than K examples do not all leave the same fold. Deterministic: no random seed.
    /// </summary>
    public static int FoldOf(int intentIndex, int exampleIndex, int k) => (intentIndex + exampleIndex) % k;
}
