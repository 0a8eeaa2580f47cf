using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>An intent prepared for matching once per package: regexes built, keywords and examples folded through the vocabulary.</summary>
internal sealed class CompiledIntent
{
    public CompiledIntent(IntentDef def, int order, RuntimeOptions options, VocabularyRewriter vocabulary, List<RuntimeError> errors)
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
        Keywords = [.. def.Keywords.Select(k => WordPattern.Parse(k, vocabulary)).Where(k => k.Matching.Length > 0)];
        (ExampleTexts, ExampleSegments) = Segment(def.Examples);
        (KeywordTexts, KeywordSegments) = Segment(def.Keywords);
        Suggestion = string.IsNullOrWhiteSpace(def.Description) ? def.Name : def.Description;
        FoldedSuggestion = TextNormalizer.NormalizeAndFold(Suggestion);
        FoldedName = TextNormalizer.NormalizeAndFold(def.Name);

        // Examples and keywords alike: the texts that have words, as written and segmented (folded, vocabulary applied).
        (string[] Texts, SegmentedText[] Segments) Segment(IEnumerable<string> texts)
        {
            var read = texts.Select(t => (Text: t, Segmented: TextSegmenter.Segment(vocabulary.Rewrite(TextNormalizer.NormalizeAndFold(t)))))
                .Where(t => t.Segmented.Terms.Length > 0).ToArray();
            return ([.. read.Select(t => t.Text)], [.. read.Select(t => t.Segmented)]);
        }
    }

    public IntentDef Def { get; }
    public int Order { get; }
    public string Name => Def.Name;
    public Regex[] Patterns { get; }
    public WordPattern[] Keywords { get; }
    public string[] ExampleTexts { get; }
    /// <summary>The examples segmented; their features are counted once all intents are known (<see cref="ImmutableIntentList"/>).</summary>
    public SegmentedText[] ExampleSegments { get; }

    /// <summary>
    /// The keywords as text similarity scores a message against, as it scores examples (docs/engine.md "Keywords in similarity"): a
    /// message that says the keyword's word in another form or with other words (「クレジットカード使えますか」 beside the keyword
    /// 「クレジットカード払い」) is close to it even though the keyword itself does not match.
    /// </summary>
    public string[] KeywordTexts { get; }
    public SegmentedText[] KeywordSegments { get; }

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
/// <see cref="Scope"/> is how much of the message the scenario knows, assessed whenever an intent matched; when it says out of scope there is no intent.
/// <see cref="GaveWay"/> is the pattern or keyword that matched but gave way to a nearly repeated example (docs/engine.md "Rules and examples").
internal readonly record struct RecognitionResult(CompiledIntent? Intent, double Confidence, CompiledIntent[]? Candidates, bool BySimilarity = false,
    ScopeAssessment? Scope = null, RuleGaveWay? GaveWay = null)
{
    public static readonly RecognitionResult None = new(null, 0, null);

    public static RecognitionResult Rejected(ScopeAssessment scope) => new(null, 0, null, Scope: scope);
}

/// <summary>Customer text as recognition sees it: normalised, vocabulary applied, segmented, with the built-in lexicon's entries found in it.</summary>
internal sealed record RecognitionInput(string Folded, SegmentedText Segmented, IReadOnlyList<string> VocabularyApplied, ImmutableArray<LexiconMatch> Lexicon);

/// <summary>
/// Intent recognition (docs/language.md "Intents", docs/engine.md "Recognition"): patterns in file order
/// (confidence 1), then keywords at word boundaries (0.9), then similarity to the examples, each intent
/// scored by its best example and by its centroid, calibrated (<see cref="ScoreCalibration"/>), subject to
/// the threshold and the ambiguity margin; whatever matched, a message mostly unknown to the scenario
/// gets no intent (<see cref="ScopeTest"/>). <see cref="Decide"/> is the one decision both a turn and
/// <see cref="ScenarioRuntime.ExplainRecognition"/> make.
/// </summary>
internal sealed class IntentRecognizer
{
    public const double KeywordConfidence = 0.9;

    /// <summary>The evidence kind of a similarity score won through a keyword's text (<see cref="CompiledIntent.KeywordTexts"/>).</summary>
    public const string SimilarKeyword = "similar keyword";

    /// <summary>
    /// A pattern or keyword gives way to another intent whose example the message nearly repeats: that intent's
    /// calibrated similarity is at least this (0.8 is "as close as a typical paraphrase", <see cref="ScoreCalibration"/>)
    /// while the rule's own intent does not reach the threshold by similarity. A broad rule (<c>\bbill\b</c>) then no
    /// longer takes "there's a charge on my bill I don't recognise" from the intent with that very example
    /// (docs/engine.md "Rules and examples").
    /// </summary>
    public const double ExampleOverRule = 0.9;

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

    readonly ImmutableIntentList _intents;
    readonly RecognizerSettings _settings;

    public IntentRecognizer(ImmutableIntentList intents, RecognizerSettings settings)
    {
        _intents = intents;
        _settings = settings;
    }

    public RecognizerSettings Settings => _settings;

    /// <summary>The similarity an interrupting intent needs while an ask waits.</summary>
    public double DigressionThreshold => Math.Max(_settings.Threshold + DigressionThresholdRaise, DigressionMinSimilarity);

    /// <summary>The misspellings similarity reads as example words in <paramref name="input"/> (docs/engine.md "Typos").</summary>
    public ImmutableArray<string> TyposIn(RecognitionInput input) => _intents.Typos.Corrections(input.Segmented);

    /// <summary>Normalised, case-folded text with the vocabulary applied and segmented.</summary>
    public RecognitionInput Prepare(string folded, bool trackVocabulary = false)
    {
        var applied = trackVocabulary ? new List<string>() : null;
        var rewritten = _intents.Vocabulary.Rewrite(folded, applied);
        var segmented = TextSegmenter.Segment(rewritten);
        var lexicon = _intents.Lexicon?.FindNew(segmented) ?? [];
        return new RecognitionInput(rewritten, segmented, (IReadOnlyList<string>?)applied ?? [], lexicon);
    }

    /// <summary>The built-in lexicon's entries found in <paramref name="input"/>, as <c>/explain</c> shows them ("arrived≈arrive").</summary>
    public ImmutableArray<string> LexiconIn(RecognitionInput input) =>
        _intents.Lexicon is { } lexicon ? [.. input.Lexicon.Select(m => lexicon.Describe(input.Segmented, m))] : [];

    /// <param name="folded">Normalised, case-folded input.</param>
    /// <param name="eligible">Restricts the intents considered (digressions during an ask); null = all.</param>
    /// <param name="threshold">The similarity threshold to apply instead of the scenario's (see <see cref="DigressionThreshold"/>).</param>
    public RecognitionResult Recognize(string folded, Func<CompiledIntent, bool>? eligible, List<RuntimeError> errors, double? threshold = null) =>
        folded.Length == 0 ? RecognitionResult.None : Decide(Prepare(folded), eligible, errors, threshold, null);

    /// <summary>
    /// The decision. When <paramref name="top"/> is given it receives the best three intents with their
    /// scores and evidence (the decisive pattern or keyword first), even those below the threshold.
    /// </summary>
    public RecognitionResult Decide(RecognitionInput input, Func<CompiledIntent, bool>? eligible, List<RuntimeError> errors, double? threshold, List<IntentScore>? top)
    {
        var minimum = threshold ?? _settings.Threshold;
        if (input.Folded.Length == 0) return RecognitionResult.None;
        Scored[]? scores = null;
        RuleGaveWay? gaveWay = null;
        if (MatchRule(input, eligible, errors) is { } rule)
        {
            // rulesDecide: the designer's rule is the decision, weighed against nothing (docs/engine.md "Rules and examples").
            if (rule.Intent.Def.RulesDecide) return Report(new RecognitionResult(rule.Intent, rule.Confidence, null));
            // A rule that covers half the message or more is the message: no similarity pass (it costs a turn ~1.5 µs).
            if (_intents.HasExamples && rule.Span.Length * 2 < input.Folded.Length)
            {
                // When the rule gives way, its similarity pass is the decision's: not made twice.
                scores = Similarity(input, eligible);
                gaveWay = GiveWay(rule, scores, minimum);
            }
            if (gaveWay is null)
            {
                var ruleScope = _intents.Scope.Assess(input.Segmented, rule.Span, input.Lexicon, listWords: top is not null);
                return Report(ruleScope.OutOfScope ? RecognitionResult.Rejected(ruleScope) : new RecognitionResult(rule.Intent, rule.Confidence, null, Scope: ruleScope));
            }

            RecognitionResult Report(RecognitionResult result)
            {
                if (top is not null)
                {
                    top.Add(new IntentScore(rule.Intent.Name, rule.Confidence, rule.Via, rule.Evidence));
                    AddSimilarityScores(scores ?? Similarity(input, eligible), top, exclude: rule.Intent);
                }
                return result;
            }
        }
        if (!_intents.HasExamples) return RecognitionResult.None;

        scores ??= Similarity(input, eligible);
        if (top is not null)
            top.AddRange(scores.Take(3).Select(s => new IntentScore(s.Intent.Name, s.Score, s.Via, s.Evidence)));
        if (scores.Length == 0 || scores[0].Score < minimum) return new RecognitionResult(null, 0, null, GaveWay: gaveWay);
        var best = scores[0];
        var scope = _intents.Scope.Assess(input.Segmented, default, input.Lexicon, listWords: top is not null);
        if (scope.OutOfScope) return RecognitionResult.Rejected(scope) with { GaveWay = gaveWay };
        if (scores.Length > 1 && scores[1].Score >= minimum && best.Score - scores[1].Score < _settings.AmbiguityMargin)
            return new RecognitionResult(null, best.Score, [best.Intent, scores[1].Intent], BySimilarity: true, scope, gaveWay);
        return new RecognitionResult(best.Intent, best.Score, null, BySimilarity: true, scope, gaveWay);
    }

    /// <summary>
    /// Why a pattern or keyword that covers less than half the message does not decide, or null when it does: the message is as close to
    /// another intent's example as <see cref="ExampleOverRule"/> while the rule's own intent stays below the threshold by similarity.
    /// </summary>
    static RuleGaveWay? GiveWay(RuleMatch rule, Scored[] scores, double minimum)
    {
        if (scores.Length == 0 || scores[0].Intent == rule.Intent || scores[0].Score < ExampleOverRule) return null;
        foreach (var s in scores)
            if (s.Intent == rule.Intent && s.Score >= minimum) return null;
        var repeated = scores[0];
        return new RuleGaveWay(new IntentScore(rule.Intent.Name, rule.Confidence, rule.Via, rule.Evidence),
            new IntentScore(repeated.Intent.Name, repeated.Score, repeated.Via, repeated.Evidence), ExampleOverRule);
    }

    /// <param name="Span">What the pattern or keyword matched in the folded input.</param>
    readonly record struct RuleMatch(CompiledIntent Intent, double Confidence, string Via, string Evidence, TextSpan Span);

    RuleMatch? MatchRule(RecognitionInput input, Func<CompiledIntent, bool>? eligible, List<RuntimeError> errors)
    {
        foreach (var intent in _intents.All)
        {
            if (intent.Patterns.Length == 0 || eligible?.Invoke(intent) == false) continue;
            foreach (var regex in intent.Patterns)
            {
                try
                {
                    if (LinearRetry.FirstMatch(regex, input.Folded) is var (index, length))
                        return new RuleMatch(intent, 1, "pattern", regex.ToString(), new TextSpan(index, length));
                }
                catch (RegexMatchTimeoutException)
                {
                    errors.Add(new RuntimeError($"intent '{intent.Name}' pattern '{regex}' timed out on the input", intent.Def.Span));
                }
            }
        }
        foreach (var intent in _intents.All)
        {
            if (intent.Keywords.Length == 0 || eligible?.Invoke(intent) == false) continue;
            foreach (var keyword in intent.Keywords)
                if (keyword.IndexIn(input.Segmented, 0) is var at and >= 0)
                    return new RuleMatch(intent, KeywordConfidence, "keyword", keyword.Source, new TextSpan(at, keyword.Matching.Length));
        }
        return null;
    }

    static void AddSimilarityScores(Scored[] scores, List<IntentScore> top, CompiledIntent exclude)
    {
        foreach (var s in scores)
        {
            if (top.Count >= 3) break;
            if (s.Intent != exclude) top.Add(new IntentScore(s.Intent.Name, s.Score, s.Via, s.Evidence));
        }
    }

    readonly record struct Scored(CompiledIntent Intent, double Score, string Via, string? Evidence);

    /// <summary>The best three eligible intents with examples, best first (on a tie the earlier intent in file order).</summary>
    Scored[] Similarity(RecognitionInput input, Func<CompiledIntent, bool>? eligible)
    {
        if (!_intents.HasExamples) return [];
        // Endings and particles alone (「もらえますか」, "can you") say nothing about what the customer wants.
        if (input.Segmented.Terms.All(t => t.IsFunction)) return [];
        var vector = FeatureVector.Count(input.Segmented, _intents.Typos, _intents.Japanese, input.Lexicon);
        if (vector.IsEmpty) return [];
        var index = _intents.Index;
        var raw = index.RawScores(vector.Weigh(index.Weights), eligible is null ? null : i => eligible(_intents.All[i]), exclude: -1, count: 3);
        var result = new Scored[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var (intent, score, example) = raw[i];
            result[i] = new Scored(_intents.All[intent], _intents.Calibration.Confidence(score), example < 0 ? "centroid" : index.IsKeyword[example] ? SimilarKeyword : "example",
                example < 0 ? null : index.ExampleTexts[example]);
        }
        return result;
    }
}

internal sealed class ImmutableIntentList
{
    /// <param name="japanese">Whether the scenario is in Japanese: then its compounds and romaji are read (<see cref="JapaneseReading"/>).</param>
    /// <param name="lexicon">The built-in lexicon, or null when the scenario turned it off (<c>recognizer.lexicon: false</c>).</param>
    /// <param name="vocabularyTerms">The canonical terms of the scenario's vocabulary, normalised (<see cref="LexiconReading"/>).</param>
    public ImmutableIntentList(CompiledIntent[] all, VocabularyRewriter vocabulary, bool japanese, SupportLexicon? lexicon = null,
        IEnumerable<string>? vocabularyTerms = null)
    {
        All = all;
        Vocabulary = vocabulary;
        HasExamples = all.Any(i => i.ExampleSegments.Length > 0);
        _byName = all.ToDictionary(i => i.Name, StringComparer.Ordinal);
        Japanese = japanese ? JapaneseReading.Build(all.SelectMany(i => i.ExampleSegments)) : null;
        Lexicon = lexicon is null ? null
            : LexiconReading.Build(lexicon, all.SelectMany(i => i.ExampleSegments), (vocabularyTerms ?? []).Select(TextSegmenter.Segment));
        Index = new SimilarityIndex(all, [.. all.Select(i => Count(i.ExampleSegments))],
            [.. all.Select(i => Count(i.KeywordSegments))]);
        Typos = TypoCorrector.Build(all.Select(i => i.ExampleSegments));
        Calibration = ScoreCalibration.Measure(Index);
        Scope = new ScopeTest(all.SelectMany(i => i.ExampleSegments), Index.Weights, Typos, readRomaji: japanese);
    }

    FeatureVector[] Count(SegmentedText[] texts) => [.. texts.Select(e => FeatureVector.Count(e, japanese: Japanese, lexicon: Lexicon?.Find(e) ?? []))];

    /// <summary>The built-in lexicon's groups this scenario's examples use, or null when it is off.</summary>
    public LexiconReading? Lexicon { get; }

    public CompiledIntent[] All { get; }
    public VocabularyRewriter Vocabulary { get; }
    public bool HasExamples { get; }
    public SimilarityIndex Index { get; }
    public JapaneseReading? Japanese { get; }
    public TypoCorrector Typos { get; }
    public ScoreCalibration Calibration { get; }
    public ScopeTest Scope { get; }
    readonly Dictionary<string, CompiledIntent> _byName;

    public CompiledIntent? Find(string name) => _byName.GetValueOrDefault(name);
}
