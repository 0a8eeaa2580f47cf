using System.Collections.Immutable;

namespace ScenarioKit.Engine;

/// <summary>One intent's score for an utterance and what produced it.</summary>
/// <param name="Via">"pattern", "keyword", "example" (the best example) or "centroid" (the intent's examples as a whole).</param>
/// <param name="Evidence">The pattern, keyword or example text that matched; null for a centroid.</param>
public sealed record IntentScore(string Intent, double Score, string Via, string? Evidence);

/// <summary>
/// How much of a message the scenario does not know (docs/engine.md "Out of scope").
/// </summary>
/// <param name="UnknownShare">The idf-weighted share of the content words no example has (NaN: no content word).</param>
/// <param name="Limit">The scenario's limit on that share.</param>
/// <param name="UnknownWords">The content words the scenario does not know, as typed (folded); listed for <c>/explain</c> and the test runner, not on a turn.</param>
/// <param name="OutOfScope">Too much of the message is unknown: no intent is recognised.</param>
public sealed record ScopeAssessment(double UnknownShare, double Limit, ImmutableArray<string> UnknownWords, bool OutOfScope);

/// <summary>
/// A pattern or keyword that matched but did not decide (docs/engine.md "Rules and examples"): the message nearly repeats an example of
/// another intent (<paramref name="Repeated"/>, at least <paramref name="Needed"/>), so the decision went on by similarity.
/// </summary>
/// <param name="Rule">The rule's intent, its confidence and the pattern or keyword.</param>
/// <param name="Repeated">The other intent, its calibrated similarity and the example the message nearly repeats.</param>
/// <param name="Needed">The similarity at which an example wins over a rule.</param>
public sealed record RuleGaveWay(IntentScore Rule, IntentScore Repeated, double Needed);

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

    /// <summary>The built-in lexicon's entries found in the text, each as typed ≈ its group, e.g. "arrived≈arrive" (docs/engine.md "Built-in lexicon").</summary>
    public ImmutableArray<string> LexiconMatched { get; init; } = [];

    /// <summary>How much of the message the scenario knows, assessed when an intent matched (null when none did).</summary>
    public ScopeAssessment? Scope { get; init; }

    /// <summary>The pattern or keyword that matched but gave way to similarity (null when none did).</summary>
    public RuleGaveWay? RuleGaveWay { get; init; }

    /// <summary>An intent matched but was rejected: too much of the message is unknown to the scenario.</summary>
    public ScopeAssessment? OutOfScope => Scope is { OutOfScope: true } ? Scope : null;
}
