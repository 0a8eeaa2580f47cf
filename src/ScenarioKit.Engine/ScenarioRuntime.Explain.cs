using ScenarioKit.Engine.Text;

namespace ScenarioKit.Engine;

public sealed partial class ScenarioRuntime
{
    /// <summary>
    /// Why <paramref name="text"/> gets its intent: the decision recognition makes in a turn with no ask
    /// pending (same code path), with the three best intents, their scores and the pattern, keyword or
    /// example behind each, the threshold, the vocabulary replacements, the misspellings read as example words and the lexicon groups found. Pure; no conversation needed.
    /// </summary>
    public RecognitionExplanation ExplainRecognition(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var recognizer = _scenario.Recognizer;
        var input = recognizer.Prepare(TextNormalizer.NormalizeAndFold(text), trackVocabulary: true);
        var top = new List<IntentScore>();
        var result = recognizer.Decide(input, null, [], null, top);
        return new RecognitionExplanation(text, input.Folded, result.Intent?.Name, result.Confidence, result.Candidates is not null,
            recognizer.Settings.Threshold, recognizer.Settings.AmbiguityMargin, [.. top], [.. input.VocabularyApplied])
        {
            TyposCorrected = recognizer.TyposIn(input),
            LexiconMatched = recognizer.LexiconIn(input),
            Scope = result.Scope,
            RuleGaveWay = result.GaveWay,
        };
    }
}
