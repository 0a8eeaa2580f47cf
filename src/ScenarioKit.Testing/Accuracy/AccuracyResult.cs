using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ScenarioKit.Engine;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Testing.Accuracy;

/// <summary>One utterance: what it should be recognised as (null: nothing, a fallback) and what it was.</summary>
/// <param name="Nearest">For a miss that fell back: the best-scoring intent below the threshold (what recognition came closest to).</param>
/// <param name="OutOfScope">For a fallback: set when an intent matched but too much of the text is unknown to the scenario.</param>
/// <param name="Lexicon">For a miss: the built-in lexicon's entries found in the text ("arrived≈arrive"), so a designer sees which groups it met.</param>
public sealed record UtteranceResult(string Text, string? Expected, string? Actual, double Confidence, SourceSpan Span, IntentScore? Nearest = null,
    ScopeAssessment? OutOfScope = null, ImmutableArray<string> Lexicon = default)
{
    /// <summary>For a miss: the pattern or keyword that matched but gave way to a nearly repeated example (docs/engine.md "Rules and examples").</summary>
    public RuleGaveWay? RuleGaveWay { get; init; }

    public bool Correct => string.Equals(Expected, Actual, StringComparison.Ordinal);

    /// <summary>
    /// What was recognised: <c>returns (0.91)</c>; for a fallback the nearest intent, <c>(none); nearest order_status (0.42)</c>,
    /// why it was out of scope, or that no intent shares anything with the text; then a rule that gave way and the lexicon groups a miss met.
    /// </summary>
    public string Outcome
    {
        get
        {
            var text = RuleGaveWay is { } rule ? $"{Recognised}; rule gave way: {ScopeText.English(rule)}" : Recognised;
            return Lexicon.IsDefaultOrEmpty ? text : $"{text}; lexicon: {string.Join(", ", Lexicon)}";
        }
    }

    string Recognised => (Actual, Nearest) switch
    {
        (null, { } n) when OutOfScope is { } scope =>
            string.Create(CultureInfo.InvariantCulture, $"{AccuracyResult.NoIntent}; out of scope, {ScopeText.English(scope)}; nearest {n.Intent} ({n.Score:0.00})"),
        (null, { } n) => string.Create(CultureInfo.InvariantCulture, $"{AccuracyResult.NoIntent}; nearest {n.Intent} ({n.Score:0.00})"),
        (null, null) => $"{AccuracyResult.NoIntent}; no intent shares a word or character sequence with it",
        _ => string.Create(CultureInfo.InvariantCulture, $"{AccuracyResult.Label(Actual)} ({Confidence:0.00})"),
    };
}

/// <summary>The outcome of one <c>*.accuracy.yaml</c> file.</summary>
public sealed record AccuracyResult(
    string File,
    string ScenarioPath,
    double Threshold,
    ImmutableArray<UtteranceResult> Utterances,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public const string NoIntent = "(none)";

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public double Accuracy => Utterances.IsEmpty ? 0 : (double)Utterances.Count(u => u.Correct) / Utterances.Length;

    /// <summary>Passes when the share of correctly recognised utterances reaches the threshold.</summary>
    public bool Passed => !HasErrors && !Utterances.IsEmpty && Accuracy >= Threshold;

    public ImmutableArray<UtteranceResult> Misrecognised => [.. Utterances.Where(u => !u.Correct)];

    /// <summary>Precision, recall and F1 per intent, their averages and the confusion counts (computed on each call: keep it in a local).</summary>
    public ClassificationMetrics Metrics => new(Utterances);

    /// <inheritdoc cref="ClassificationMetrics.Labels"/>
    public ImmutableArray<string?> Labels => Metrics.Labels;

    /// <inheritdoc cref="ClassificationMetrics.Count"/>
    public int Count(string? expected, string? actual) => Metrics.Count(expected, actual);

    public static string Label(string? intent) => intent ?? NoIntent;

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"accuracy {Accuracy:P1} ({Utterances.Count(u => u.Correct)}/{Utterances.Length}), threshold {Threshold:P1}: {(Passed ? "passed" : "FAILED")}\n");
        AppendMetrics(b, Metrics);
        AppendMisses(b, Misrecognised);
        return b.ToString();
    }

    /// <summary>Per-intent precision/recall/F1 lines and the averages, as plain text.</summary>
    internal static void AppendMetrics(StringBuilder b, ClassificationMetrics metrics)
    {
        // "(none)" expected by no utterance has no rates worth a line; the confusion table still shows what fell back.
        foreach (var m in metrics.PerIntent.Where(m => m.Intent is not null || m.Support > 0))
            b.Append(CultureInfo.InvariantCulture, $"  {Label(m.Intent)}: precision {m.Precision:0.00}, recall {m.Recall:0.00}, F1 {m.F1:0.00} ({m.Correct}/{m.Support})\n");
        b.Append(CultureInfo.InvariantCulture, $"  macro: precision {metrics.Macro.Precision:0.00}, recall {metrics.Macro.Recall:0.00}, F1 {metrics.Macro.F1:0.00}\n");
        b.Append(CultureInfo.InvariantCulture, $"  micro: precision {metrics.Micro.Precision:0.00}, recall {metrics.Micro.Recall:0.00}, F1 {metrics.Micro.F1:0.00}\n");
    }

    internal static void AppendMisses(StringBuilder b, IEnumerable<UtteranceResult> misses)
    {
        var header = false;
        foreach (var u in misses)
        {
            if (!header) b.Append("misrecognised:\n");
            header = true;
            b.Append(CultureInfo.InvariantCulture, $"  {u.Span.File}({u.Span.Line},{u.Span.Column}): \"{u.Text}\" expected {Label(u.Expected)}, got {u.Outcome}\n");
        }
    }
}
