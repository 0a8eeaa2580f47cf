using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Testing.Accuracy;

/// <summary>One utterance: what it should be recognised as (null: nothing, a fallback) and what it was.</summary>
public sealed record UtteranceResult(string Text, string? Expected, string? Actual, double Confidence, SourceSpan Span)
{
    public bool Correct => string.Equals(Expected, Actual, StringComparison.Ordinal);
}

/// <summary>Accuracy for one expected intent: the share of its utterances recognised as it (recall).</summary>
public sealed record IntentAccuracy(string? Intent, int Total, int Correct)
{
    public double Accuracy => Total == 0 ? 1 : (double)Correct / Total;
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

    public ImmutableArray<IntentAccuracy> PerIntent =>
        [.. Utterances.GroupBy(u => u.Expected)
            .Select(g => new IntentAccuracy(g.Key, g.Count(), g.Count(u => u.Correct)))
            .OrderBy(i => i.Intent ?? "\uFFFF", StringComparer.Ordinal)];

    public ImmutableArray<UtteranceResult> Misrecognised => [.. Utterances.Where(u => !u.Correct)];

    /// <summary>Rows and columns of the confusion table: every expected and every recognised intent, sorted, "(none)" last.</summary>
    public ImmutableArray<string?> Labels =>
        [.. Utterances.SelectMany(u => new[] { u.Expected, u.Actual }).Distinct().OrderBy(l => l ?? "\uFFFF", StringComparer.Ordinal)];

    /// <summary>How many utterances expected as <paramref name="expected"/> were recognised as <paramref name="actual"/>.</summary>
    public int Count(string? expected, string? actual) =>
        Utterances.Count(u => string.Equals(u.Expected, expected, StringComparison.Ordinal) && string.Equals(u.Actual, actual, StringComparison.Ordinal));

    public static string Label(string? intent) => intent ?? NoIntent;

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"accuracy {Accuracy:P1} ({Utterances.Count(u => u.Correct)}/{Utterances.Length}), threshold {Threshold:P1}: {(Passed ? "passed" : "FAILED")}\n");
        foreach (var i in PerIntent)
            b.Append(CultureInfo.InvariantCulture, $"  {Label(i.Intent)}: {i.Accuracy:P1} ({i.Correct}/{i.Total})\n");
        if (!Misrecognised.IsEmpty)
        {
            b.Append("misrecognised:\n");
            foreach (var u in Misrecognised)
                b.Append(CultureInfo.InvariantCulture, $"  {u.Span.File}({u.Span.Line},{u.Span.Column}): \"{u.Text}\" expected {Label(u.Expected)}, got {Label(u.Actual)} ({u.Confidence:0.00})\n");
        }
        return b.ToString();
    }
}
