using System.Collections.Immutable;

namespace ScenarioKit.Engine;

/// <summary>One intent's score for an utterance and what produced it.</summary>
/// <param name="Via">"pattern", "keyword", "example" (the best example) or "centroid" (the intent's examples as a whole).</param>
/// <param name="Evidence">The pattern, keyword or example text that matched; null for a centroid.</param>
public sealed record IntentScore(string Intent, double Score, string Via, string? Evidence);

/// <summary>Why an utterance got its intent (or none): what <c>chat /explain</c> and the test runner's failure output show.</summary>
/// <param name="NormalizedInput">The text recognition saw: normalised, case-folded, vocabulary applied.</param>
/// <param name="Intent">The intent recognised; null when the input falls back or is ambiguous.</param>
/// <param name="Ambiguous">Two intents were within the ambiguity margin: the customer is asked which one.</param>
/// <param name="Top">The best intents first, up to 3, even when below the threshold.</param>
/// <param name="VocabularyApplied">The vocabulary replacements made, e.g. "お届け→配送".</param>
public sealed record RecognitionExplanation(
    string Input, string NormalizedInput, string? Intent, double Confidence, bool Ambiguous,
    double Threshold, double AmbiguityMargin,
    ImmutableArray<IntentScore> Top,
    ImmutableArray<string> VocabularyApplied)
{
    /// <summary>English misspellings similarity read as an example's word, e.g. "retrun→return" (docs/engine.md "Typos").</summary>
    public ImmutableArray<string> TyposCorrected { get; init; } = [];
}
