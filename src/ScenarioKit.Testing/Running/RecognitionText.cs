using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Engine;

namespace ScenarioKit.Testing.Running;

/// <summary>A recognition explanation as lines under a failed step: the decision, the settings, then the top intents with their evidence.</summary>
public static class RecognitionText
{
    /// <param name="askWaiting">An ask was waiting for the text, so the text went to it first and recognition only ran for interruptions.</param>
    public static ImmutableArray<string> Lines(RecognitionExplanation explanation, bool askWaiting = false)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var e = explanation;
        var decision = e.Intent is { } intent ? string.Create(CultureInfo.InvariantCulture, $"{intent} ({e.Confidence:0.00})")
            : e.Ambiguous && e.Top.Length >= 2 ? $"ambiguous between {e.Top[0].Intent} and {e.Top[1].Intent} (clarify)"
            : "no intent (fallback)";
        var lines = ImmutableArray.CreateBuilder<string>();
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"recognition of \"{e.Input}\": {decision}; threshold {e.Threshold:0.00}, ambiguity margin {e.AmbiguityMargin:0.00}"));
        if (askWaiting)
            lines.Add("  (an ask was waiting: the text was offered to it first; only interrupting intents could take it, on a stricter threshold)");
        if (!e.VocabularyApplied.IsDefaultOrEmpty)
            lines.Add("  vocabulary: " + string.Join(", ", e.VocabularyApplied));
        if (!e.TyposCorrected.IsDefaultOrEmpty)
            lines.Add("  typos: " + string.Join(", ", e.TyposCorrected));
        if (!e.LexiconMatched.IsDefaultOrEmpty)
            lines.Add("  lexicon: " + string.Join(", ", e.LexiconMatched));
        if (e.RuleGaveWay is { } rule) lines.Add("  rule gave way: " + ScopeText.English(rule));
        if (e.Scope is { } scope) lines.Add((scope.OutOfScope ? "  out of scope: " : "  scope: ") + ScopeText.English(scope));
        if (e.Top.IsDefaultOrEmpty) lines.Add("  no intent shares a word or character sequence with it");
        else
            for (var i = 0; i < e.Top.Length; i++)
            {
                var t = e.Top[i];
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"  {i + 1}. {t.Intent} {t.Score:0.00}{(t.Evidence is null ? "" : $" by {t.Via} \"{t.Evidence}\"")}"));
            }
        return lines.ToImmutable();
    }
}
