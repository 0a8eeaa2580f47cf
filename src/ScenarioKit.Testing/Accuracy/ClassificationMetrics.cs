using System.Collections.Immutable;

namespace ScenarioKit.Testing.Accuracy;

/// <summary>
/// One intent's counts over labelled utterances. <see cref="Precision"/>: of the utterances recognised as
/// the intent, the share that should have been; <see cref="Recall"/>: of the utterances that should have
/// been, the share recognised as it; <see cref="F1"/> their harmonic mean. An undefined rate (nothing
/// recognised as the intent, or nothing expected) counts as 0.
/// </summary>
/// <param name="Intent">The intent; null is "(none)", a fallback.</param>
/// <param name="Support">Utterances expected as the intent.</param>
/// <param name="Recognised">Utterances recognised as the intent.</param>
/// <param name="Correct">Utterances expected and recognised as the intent.</param>
public sealed record IntentMetric(string? Intent, int Support, int Recognised, int Correct)
{
    public double Precision => Recognised == 0 ? 0 : (double)Correct / Recognised;
    public double Recall => Support == 0 ? 0 : (double)Correct / Support;
    public double F1 => ClassificationMetrics.Harmonic(Precision, Recall);
}

public readonly record struct MetricAverage(double Precision, double Recall, double F1);

/// <summary>
/// Precision, recall and F1 per intent, their macro and micro averages, and the confusion counts of a set of
/// labelled utterances (an accuracy file, or every held-out fold of a cross-validation).
/// "(none)" is a row and a column of the confusion table but not a class of the averages: a fallback
/// lowers recall, not precision; a wrong intent lowers both. Macro averages every intent expected or
/// recognised equally; micro pools the counts, so an intent weighs by its utterances.
/// </summary>
public sealed class ClassificationMetrics
{
    readonly Dictionary<(string? Expected, string? Actual), int> _counts = [];

    public ClassificationMetrics(IEnumerable<UtteranceResult> utterances)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        foreach (var u in utterances)
            _counts[(u.Expected, u.Actual)] = _counts.GetValueOrDefault((u.Expected, u.Actual)) + 1;
        Labels = [.. _counts.Keys.SelectMany(k => new[] { k.Expected, k.Actual }).Distinct().OrderBy(l => l ?? "\uFFFF", StringComparer.Ordinal)];
        PerIntent = [.. Labels.Select(l => new IntentMetric(l,
            _counts.Where(kv => kv.Key.Expected == l).Sum(kv => kv.Value),
            _counts.Where(kv => kv.Key.Actual == l).Sum(kv => kv.Value),
            Count(l, l)))];
        var intents = PerIntent.Where(m => m.Intent is not null).ToList();
        Macro = intents.Count == 0 ? default : new MetricAverage(intents.Average(m => m.Precision), intents.Average(m => m.Recall), intents.Average(m => m.F1));
        var correct = intents.Sum(m => m.Correct);
        var recognised = intents.Sum(m => m.Recognised);
        var support = intents.Sum(m => m.Support);
        var precision = recognised == 0 ? 0 : (double)correct / recognised;
        var recall = support == 0 ? 0 : (double)correct / support;
        Micro = new MetricAverage(precision, recall, Harmonic(precision, recall));
    }

    /// <summary>Every expected and every recognised intent, sorted, "(none)" (null) last: the rows and columns of the confusion table.</summary>
    public ImmutableArray<string?> Labels { get; }

    /// <summary>One row per label, in <see cref="Labels"/> order.</summary>
    public ImmutableArray<IntentMetric> PerIntent { get; }

    public MetricAverage Macro { get; }
    public MetricAverage Micro { get; }

    /// <summary>How many utterances expected as <paramref name="expected"/> were recognised as <paramref name="actual"/>.</summary>
    public int Count(string? expected, string? actual) => _counts.GetValueOrDefault((expected, actual));

    internal static double Harmonic(double a, double b) => a + b == 0 ? 0 : 2 * a * b / (a + b);
}
