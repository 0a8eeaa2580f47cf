using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Finds examples of different intents that are near-identical: Jaccard similarity of character
/// bigrams (after NFKC, lower case, whitespace removed; works without word spaces) ≥ 0.9. A
/// prefix-filter set-similarity join (PPJoin): tokens ordered rare-first; two sets with Jaccard ≥ t
/// must share a token among the first |x| − ⌈t·|x|⌉ + 1 of each, so only those prefixes are indexed
/// and only pairs sharing a prefix token are verified. Sub-quadratic on real example sets.
/// </summary>
internal static class IntentSimilarity
{
    public const double Threshold = 0.9;

    sealed record Item(string Intent, ScalarNode Node, int[] Tokens);

    public static void Check(BoundScenario bound, DiagnosticBag d)
    {
        CheckExamples(bound, d);
        CheckShared(bound, d, bound.IntentPatterns, new Localized("pattern", "パターン"), p => p);
        // Keywords match folded text (case and width ignored), so compare them folded too.
        CheckShared(bound, d, bound.IntentKeywords, new Localized("keyword", "キーワード"), MatchText.NormalizeAndFold);
        CheckExamplesCaught(bound, d);
    }

    /// <summary>
    /// An example of intent B that a pattern or keyword of intent A ≠ B catches: recognition answers A to
    /// B's own example. Decided exactly as the engine's recognizer does (MatchText folding, vocabulary, patterns of all
    /// intents in file order, then keywords at word boundaries), so an example whose own intent's pattern wins
    /// first is not reported. Golden case: Golden/intents/pattern-catches-example.yaml.
    /// </summary>
    static void CheckExamplesCaught(BoundScenario bound, DiagnosticBag d)
    {
        var patterns = new List<(string Intent, ScalarNode Node, Regex Regex)>();
        var vocabulary = new VocabularyRewriter(bound.Model.Vocabulary);
        var keywords = new List<(string Intent, ScalarNode Node, WordPattern Keyword)>();
        foreach (var intent in bound.Model.Intents)
        {
            foreach (var node in bound.IntentPatterns.GetValueOrDefault(intent.Name) ?? [])
            {
                try
                {
                    patterns.Add((intent.Name, node, new Regex(node.Value, MatchText.PatternOptions, PatternTimeout)));
                }
                catch (ArgumentException)
                {
                    // SK3018 reports it.
                }
            }
            foreach (var node in bound.IntentKeywords.GetValueOrDefault(intent.Name) ?? [])
                if (WordPattern.Parse(node.Value, vocabulary) is { Matching.Length: > 0 } keyword) keywords.Add((intent.Name, node, keyword));
        }
        if (patterns.Count == 0 && keywords.Count == 0) return;
        foreach (var (intent, examples) in bound.IntentExamples)
            foreach (var example in examples)
            {
                var folded = vocabulary.Rewrite(MatchText.NormalizeAndFold(example.Value));
                if (folded.Length == 0) continue;
                var segmented = TextSegmenter.Segment(folded);
                var caught = FirstMatch(patterns, folded) is { } p ? (p.Intent, p.Node, Kind: new Localized("pattern", "パターン"))
                    : keywords.FirstOrDefault(k => k.Keyword.IsIn(segmented)) is { Node: not null } k ? (k.Intent, k.Node, Kind: new Localized("keyword", "キーワード"))
                    : default;
                if (caught.Node is null || caught.Intent == intent) continue;
                d.ReportRelated(DiagnosticCatalog.PatternCatchesExample, caught.Node.Span, example.Span, caught.Kind, caught.Node.Value, caught.Intent, example.Value, intent);
            }
    }

    static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    static (string Intent, ScalarNode Node, Regex Regex)? FirstMatch(List<(string Intent, ScalarNode Node, Regex Regex)> patterns, string folded)
    {
        foreach (var p in patterns)
        {
            try
            {
                if (p.Regex.IsMatch(folded)) return p;
            }
            catch (RegexMatchTimeoutException)
            {
                // SK3019 warns about such patterns; a timed-out match does not match at runtime either.
            }
        }
        return null;
    }

    /// <summary>
    /// An identical pattern or keyword in two intents: the recognizer tries intents in file order and takes
    /// the first whose pattern (or keyword) matches, so the later intent is never selected by it. Reported at the later one.
    /// </summary>
    static void CheckShared(BoundScenario bound, DiagnosticBag d, Dictionary<string, List<ScalarNode>> byIntent, Localized kind, Func<string, string> key)
    {
        var first = new Dictionary<string, (string Intent, ScalarNode Node)>(StringComparer.Ordinal);
        foreach (var intent in bound.Model.Intents)
        {
            if (!byIntent.TryGetValue(intent.Name, out var nodes)) continue;
            foreach (var node in nodes)
            {
                var k = key(node.Value);
                if (k.Length == 0) continue;
                if (!first.TryGetValue(k, out var earlier)) first[k] = (intent.Name, node);
                else if (earlier.Intent != intent.Name)
                    d.ReportRelated(DiagnosticCatalog.SharedPatternOrKeyword, node.Span, earlier.Node.Span, intent.Name, kind, earlier.Intent, node.Value);
            }
        }
    }

    static void CheckExamples(BoundScenario bound, DiagnosticBag d)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var raw = new List<(string Intent, ScalarNode Node, List<int> Tokens)>();
        foreach (var intent in bound.Model.Intents)
        {
            if (!bound.IntentExamples.TryGetValue(intent.Name, out var nodes)) continue;
            foreach (var node in nodes)
            {
                var tokens = Bigrams(node.Value).Select(b => vocabulary.TryGetValue(b, out var id) ? id : vocabulary[b] = vocabulary.Count).Distinct().ToList();
                if (tokens.Count > 0) raw.Add((intent.Name, node, tokens));
            }
        }
        var frequency = new int[vocabulary.Count];
        foreach (var r in raw) foreach (var t in r.Tokens) frequency[t]++;
        var items = raw.Select(r => new Item(r.Intent, r.Node, [.. r.Tokens.OrderBy(t => frequency[t]).ThenBy(t => t)])).ToList();

        var index = new Dictionary<int, List<int>>();
        var reportedPairs = new HashSet<(string, string)>();
        var candidates = new HashSet<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var x = items[i];
            var prefix = x.Tokens.Length - (int)Math.Ceiling(Threshold * x.Tokens.Length) + 1;
            candidates.Clear();
            for (var p = 0; p < prefix; p++)
                if (index.TryGetValue(x.Tokens[p], out var list))
                    foreach (var j in list) candidates.Add(j);
            foreach (var j in candidates.Order())
            {
                var y = items[j];
                if (y.Intent == x.Intent) continue;
                if (Math.Min(x.Tokens.Length, y.Tokens.Length) < Threshold * Math.Max(x.Tokens.Length, y.Tokens.Length)) continue;
                if (Jaccard(x.Tokens, y.Tokens) < Threshold) continue;
                var pair = string.CompareOrdinal(x.Intent, y.Intent) < 0 ? (x.Intent, y.Intent) : (y.Intent, x.Intent);
                if (!reportedPairs.Add(pair)) continue;
                d.ReportRelated(DiagnosticCatalog.SimilarIntents, x.Node.Span, y.Node.Span, x.Intent, y.Intent, x.Node.Value, y.Node.Value);
            }
            for (var p = 0; p < prefix; p++)
            {
                if (!index.TryGetValue(x.Tokens[p], out var list)) index[x.Tokens[p]] = list = [];
                list.Add(i);
            }
        }
    }

    static double Jaccard(int[] a, int[] b)
    {
        var set = new HashSet<int>(a);
        var shared = b.Count(set.Contains);
        return (double)shared / (a.Length + b.Length - shared);
    }

    internal static IEnumerable<string> Bigrams(string text)
    {
        var normalized = new StringBuilder();
        foreach (var ch in MatchText.NormalizeAndFold(text))
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (char.IsWhiteSpace(ch) || cat is UnicodeCategory.OtherPunctuation or UnicodeCategory.DashPunctuation
                    or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation) continue;
            normalized.Append(ch);
        }
        var s = normalized.ToString();
        if (s.Length == 1) yield return s;
        for (var i = 0; i + 1 < s.Length; i++) yield return s.Substring(i, 2);
    }
}
