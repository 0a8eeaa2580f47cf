using System.Text.RegularExpressions;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Recognition;

/// <summary>An intent prepared for matching once per package: regexes built, keywords folded, example vectors computed.</summary>
internal sealed class CompiledIntent
{
    public CompiledIntent(IntentDef def, int order, RuntimeOptions options, List<RuntimeError> errors)
    {
        Def = def;
        Order = order;
        var patterns = new List<Regex>();
        foreach (var p in def.Patterns)
        {
            try
            {
                patterns.Add(new Regex(p, MatchText.PatternOptions, options.RegexTimeout));
            }
            catch (ArgumentException e)
            {
                errors.Add(new RuntimeError($"intent '{def.Name}' pattern '{p}' is not a valid regular expression: {e.Message}", def.Span));
            }
        }
        Patterns = [.. patterns];
        Keywords = [.. def.Keywords.Select(TextNormalizer.NormalizeAndFold).Where(k => k.Length > 0)];
        Examples = [.. def.Examples.Select(e => NGramVector.Create(TextNormalizer.NormalizeAndFold(e))).Where(v => !v.IsEmpty)];
        Suggestion = string.IsNullOrWhiteSpace(def.Description) ? def.Name : def.Description;
        FoldedSuggestion = TextNormalizer.NormalizeAndFold(Suggestion);
        FoldedName = TextNormalizer.NormalizeAndFold(def.Name);
    }

    public IntentDef Def { get; }
    public int Order { get; }
    public string Name => Def.Name;
    public Regex[] Patterns { get; }
    public string[] Keywords { get; }
    /// <summary>Example vectors, weighted by <see cref="GramWeights"/> once the whole intent list is known.</summary>
    public NGramVector[] Examples { get; private set; }

    internal void Weigh(GramWeights weights) => Examples = [.. Examples.Select(e => e.Weighted(weights))];

    /// <summary>What the clarify question offers for this intent: its description, or its name.</summary>
    public string Suggestion { get; }
    public string FoldedSuggestion { get; }
    public string FoldedName { get; }

    public string DigitalFitText => Def.DigitalFit switch
    {
        DigitalFit.High => "high",
        DigitalFit.Medium => "medium",
        _ => "low",
    };
}

/// <summary>The outcome of recognition; <see cref="Candidates"/> is set when two intents were too close to call.</summary>
/// <see cref="BySimilarity"/> is true when the intent was chosen on example similarity alone (no pattern or keyword matched).
internal readonly record struct RecognitionResult(CompiledIntent? Intent, double Confidence, CompiledIntent[]? Candidates, bool BySimilarity = false)
{
    public static readonly RecognitionResult None = new(null, 0, null);
}

/// <summary>
/// Intent recognition (docs/language.md "Intents"): patterns in file order (confidence 1), then
/// keywords as substrings (0.9), then the best cosine similarity of character n-grams to the
/// examples, subject to the threshold and the ambiguity margin.
/// </summary>
internal sealed class IntentRecognizer(ImmutableIntentList intents, RecognizerSettings settings)
{
    public const double KeywordConfidence = 0.9;

    /// <summary>
    /// While an ask waits, an interrupting intent recognised only by similarity must score at least
    /// max(threshold + <see cref="DigressionThresholdRaise"/>, <see cref="DigressionMinSimilarity"/>):
    /// a false interruption mid-form (worst of all, a handoff) costs far more than one missed digression,
    /// and patterns and keywords still interrupt at any time. Deliberately not a RecognizerSettings field:
    /// a scenario's threshold tunes ordinary recognition, this margin protects the form on top of it.
    /// </summary>
    public const double DigressionThresholdRaise = 0.2;

    /// <inheritdoc cref="DigressionThresholdRaise"/>
    public const double DigressionMinSimilarity = 0.75;

    /// <summary>The similarity an interrupting intent needs while an ask waits.</summary>
    public double DigressionThreshold => Math.Max(settings.Threshold + DigressionThresholdRaise, DigressionMinSimilarity);

    /// <param name="folded">Normalised, case-folded input.</param>
    /// <param name="eligible">Restricts the intents considered (digressions during an ask); null = all.</param>
    /// <param name="threshold">The similarity threshold to apply instead of the scenario's (see <see cref="DigressionThreshold"/>).</param>
    public RecognitionResult Recognize(string folded, Func<CompiledIntent, bool>? eligible, List<RuntimeError> errors, double? threshold = null)
    {
        var minimum = threshold ?? settings.Threshold;
        if (folded.Length == 0) return RecognitionResult.None;
        foreach (var intent in intents.All)
        {
            if (intent.Patterns.Length == 0 || eligible?.Invoke(intent) == false) continue;
            foreach (var regex in intent.Patterns)
            {
                try
                {
                    if (regex.IsMatch(folded)) return new RecognitionResult(intent, 1, null);
                }
                catch (RegexMatchTimeoutException)
                {
                    errors.Add(new RuntimeError($"intent '{intent.Name}' pattern '{regex}' timed out on the input", intent.Def.Span));
                }
            }
        }
        foreach (var intent in intents.All)
        {
            if (intent.Keywords.Length == 0 || eligible?.Invoke(intent) == false) continue;
            foreach (var keyword in intent.Keywords)
                if (folded.Contains(keyword, StringComparison.Ordinal))
                    return new RecognitionResult(intent, KeywordConfidence, null);
        }
        if (!intents.HasExamples) return RecognitionResult.None;

        var input = NGramVector.Create(folded);
        if (input.IsEmpty) return RecognitionResult.None;
        input = input.Weighted(intents.Weights);
        CompiledIntent? best = null, second = null;
        double bestScore = 0, secondScore = 0;
        foreach (var intent in intents.All)
        {
            if (intent.Examples.Length == 0 || eligible?.Invoke(intent) == false) continue;
            double score = 0;
            foreach (var example in intent.Examples)
                score = Math.Max(score, input.Cosine(example));
            // Strictly greater: on a tie the earlier intent (file order) stays best.
            if (score > bestScore)
            {
                second = best; secondScore = bestScore;
                best = intent; bestScore = score;
            }
            else if (score > secondScore)
            {
                second = intent; secondScore = score;
            }
        }
        if (best is null || bestScore < minimum) return RecognitionResult.None;
        if (second is not null && secondScore >= minimum && bestScore - secondScore < settings.AmbiguityMargin)
            return new RecognitionResult(null, bestScore, [best, second], BySimilarity: true);
        return new RecognitionResult(best, bestScore, null, BySimilarity: true);
    }
}

internal sealed class ImmutableIntentList
{
    public ImmutableIntentList(CompiledIntent[] all)
    {
        All = all;
        HasExamples = all.Any(i => i.Examples.Length > 0);
        _byName = all.ToDictionary(i => i.Name, StringComparer.Ordinal);
        Weights = new GramWeights(all.Select(i => (IReadOnlyList<NGramVector>)i.Examples));
        foreach (var intent in all) intent.Weigh(Weights);
    }

    public CompiledIntent[] All { get; }
    public bool HasExamples { get; }
    public GramWeights Weights { get; }
    readonly Dictionary<string, CompiledIntent> _byName;

    public CompiledIntent? Find(string name) => _byName.GetValueOrDefault(name);
}
