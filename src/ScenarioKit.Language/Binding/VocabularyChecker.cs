using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Checks <c>vocabulary</c> (docs/language.md "Vocabulary"). Variants and terms are compared as the engine
/// matches them (<see cref="WordPattern"/>: normalised, case and kana folded), so 「取消」 and 「取消」 written
/// in another width are the same variant. Golden cases: Golden/vocabulary/*.yaml.
/// </summary>
internal static class VocabularyChecker
{
    public static void Check(BoundScenario bound, DiagnosticBag d)
    {
        if (bound.Vocabulary.Count == 0) return;
        var terms = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        foreach (var (term, _) in bound.Vocabulary)
            terms.TryAdd(Key(term.Value), term);

        var claimed = new Dictionary<string, (ScalarNode Term, ScalarNode Variant)>(StringComparer.Ordinal);
        foreach (var (term, variants) in bound.Vocabulary)
            foreach (var variant in variants)
            {
                var key = WordPattern.Parse(variant.Value).Matching;
                if (key.Length == 0) continue;
                if (key == Key(term.Value))
                    d.Report(DiagnosticCatalog.VariantSameAsTerm, variant.Span, variant.Value, term.Value);
                else if (terms.TryGetValue(key, out var other) && other != term)
                    d.ReportRelated(DiagnosticCatalog.VocabularyChain, variant.Span, other.Span, variant.Value, term.Value);
                else if (claimed.TryGetValue(key, out var earlier) && earlier.Term != term)
                    d.ReportRelated(DiagnosticCatalog.VocabularyVariantTwice, variant.Span, earlier.Variant.Span, variant.Value, earlier.Term.Value, term.Value);
                else claimed.TryAdd(key, (term, variant));
            }

        CheckKeywords(bound, d, claimed);
    }

    static string Key(string text) => KanaFolding.Fold(MatchText.NormalizeAndFold(text));

    /// <summary>
    /// Keywords are rewritten like customer text: a keyword that is a variant becomes its term (SK4030), and two
    /// intents may end up with the same keyword (SK4031). One warning per cause: a variant keyword that now
    /// equals another intent's keyword gets SK4031 only (it says more); otherwise SK4031 goes on the later of the two.
    /// </summary>
    static void CheckKeywords(BoundScenario bound, DiagnosticBag d, Dictionary<string, (ScalarNode Term, ScalarNode Variant)> claimed)
    {
        var vocabulary = new VocabularyRewriter(bound.Model.Vocabulary);
        var keywords = new List<Keyword>();
        foreach (var intent in bound.Model.Intents)
            foreach (var node in bound.IntentKeywords.GetValueOrDefault(intent.Name) ?? [])
            {
                var plain = WordPattern.Parse(node.Value);
                if (plain.Matching.Length == 0) continue;
                var owner = !plain.Substring && claimed.TryGetValue(plain.Matching, out var o) ? o.Variant : null;
                keywords.Add(new Keyword(intent.Name, node, plain.Matching, WordPattern.Parse(node.Value, vocabulary).Matching, owner));
            }

        for (var i = 0; i < keywords.Count; i++)
        {
            var k = keywords[i];
            // Keywords identical before the vocabulary are SK3103's business.
            var clash = keywords.FindIndex(o => o.Intent != k.Intent && o.Rewritten == k.Rewritten && o.Plain != k.Plain);
            var reportHere = clash >= 0 && (k.IsVariant != keywords[clash].IsVariant ? k.IsVariant : clash < i);
            if (reportHere)
            {
                var other = keywords[clash];
                d.ReportRelated(DiagnosticCatalog.VocabularyMergesKeywords, k.Node.Span, other.Node.Span,
                    k.Node.Value, k.Intent, other.Node.Value, other.Intent, k.Rewritten);
            }
            else if (clash < 0 && k.VariantNode is { } variant)
                d.ReportRelated(DiagnosticCatalog.VariantIsKeyword, k.Node.Span, variant.Span, k.Node.Value, k.Intent, claimed[k.Plain].Term.Value);
        }
    }

    sealed record Keyword(string Intent, ScalarNode Node, string Plain, string Rewritten, ScalarNode? VariantNode)
    {
        public bool IsVariant => VariantNode is not null;
    }
}
