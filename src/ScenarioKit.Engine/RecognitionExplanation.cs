using System.Collections.Immutable;

namespace ScenarioKit.Engine;

/// <summary>One intent's score for an utterance and what produced it.</summary>
/// <param name="Via">What matched: <c>pattern</c>, <c>keyword</c> or <c>example</c> (similarity to the closest example).</param>
/// <param name="Evidence">The pattern, keyword or example text that matched; null when nothing did.</param>
public sealed record IntentScore(string Intent, double Score, string Via, string? Evidence);

/// <summary>Why an utterance got its intent (or none): what <see cref="ScenarioRuntime.ExplainRecognition"/> returns.</summary>
/// <param name="NormalizedInput">The text recognition matches against (normalised and case-folded).</param>
/// <param name="Intent">The intent recognition chose; null for a fallback or when <paramref name="Ambiguous"/>.</param>
/// <param name="Confidence">The chosen intent's confidence (the best similarity when ambiguous; 0 for a fallback: see <paramref name="Top"/>).</param>
/// <param name="Ambiguous">Two intents scored within <paramref name="AmbiguityMargin"/> above the threshold: the bot asks which one.</param>
/// <param name="Top">Best first, up to 3, also when below the threshold.</param>
/// <param name="VocabularyApplied">Vocabulary substitutions made on the input, e.g. <c>お届け→配送</c>.</param>
public sealed record RecognitionExplanation(
    string Input, string NormalizedInput, string? Intent, double Confidence, bool Ambiguous,
    double Threshold, double AmbiguityMargin,
    ImmutableArray<IntentScore> Top,
    ImmutableArray<string> VocabularyApplied);
