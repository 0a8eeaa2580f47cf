using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

public sealed partial class ScenarioRuntime
{
    /// <summary>Via values of <see cref="IntentScore"/>, in the order recognition tries them.</summary>
    static class Via
    {
        public const string Pattern = "pattern";
        public const string Keyword = "keyword";
        public const string Example = "example";

        public static int Rank(string via) => via switch { Pattern => 0, Keyword => 1, _ => 2 };
    }

    /// <summary>
    /// Why <paramref name="text"/> gets its intent: the same decision recognition makes in a turn with no
    /// ask pending, and each intent's best evidence. <see cref="RecognitionExplanation.Top"/> ranks as
    /// recognition does: a pattern (confidence 1) before a keyword (0.9) before similarity to an example,
    /// then by score, then in file order. For tools (chat /explain, test reports); not on the turn path.
    /// </summary>
    public RecognitionExplanation ExplainRecognition(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var raw = text.Length > Options.MaxInputLength ? text[..Options.MaxInputLength] : text;
        var folded = TextNormalizer.NormalizeAndFold(raw);
        var settings = Model.Recognizer ?? RecognizerSettings.Default;
        var decision = _scenario.Recognizer.Recognize(folded, null, []);
        var ambiguous = decision.Candidates is not null;
        var top = ImmutableArray<IntentScore>.Empty;
        if (folded.Length > 0)
        {
            var input = NGramVector.Create(folded);
            input = input.IsEmpty ? input : input.Weighted(_scenario.Intents.Weights);
            top = [.. _scenario.Intents.All
                .Select(intent => (intent.Order, Score: Score(intent, folded, input)))
                .Where(s => s.Score.Score > 0)
                .OrderBy(s => Via.Rank(s.Score.Via)).ThenByDescending(s => s.Score.Score).ThenBy(s => s.Order)
                .Take(3)
                .Select(s => s.Score)];
        }
        return new RecognitionExplanation(text, folded, decision.Intent?.Name, decision.Confidence,
            ambiguous, settings.Threshold, settings.AmbiguityMargin, top, []);
    }

    /// <summary>An intent's best evidence for the folded input: a matching pattern, a contained keyword, else its closest example.</summary>
    IntentScore Score(CompiledIntent intent, string folded, NGramVector input)
    {
        foreach (var regex in intent.Patterns)
        {
            try
            {
                if (regex.IsMatch(folded)) return new IntentScore(intent.Name, 1, Via.Pattern, regex.ToString());
            }
            catch (RegexMatchTimeoutException)
            {
                // Recognition reports the timeout in a turn; an explanation just skips the pattern.
            }
        }
        foreach (var keyword in intent.Def.Keywords)
        {
            var foldedKeyword = TextNormalizer.NormalizeAndFold(keyword);
            if (foldedKeyword.Length > 0 && folded.Contains(foldedKeyword, StringComparison.Ordinal))
                return new IntentScore(intent.Name, IntentRecognizer.KeywordConfidence, Via.Keyword, keyword);
        }
        if (input.IsEmpty) return new IntentScore(intent.Name, 0, Via.Example, null);
        string? best = null;
        double bestScore = 0;
        foreach (var example in intent.Def.Examples)
        {
            var vector = NGramVector.Create(TextNormalizer.NormalizeAndFold(example));
            if (vector.IsEmpty) continue;
            var score = input.Cosine(vector.Weighted(_scenario.Intents.Weights));
            if (score > bestScore) (best, bestScore) = (example, score);
        }
        return new IntentScore(intent.Name, bestScore, Via.Example, best);
    }
}
