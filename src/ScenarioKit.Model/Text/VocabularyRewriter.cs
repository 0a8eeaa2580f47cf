using System.Collections.Immutable;

namespace ScenarioKit.Model.Text;

/// <summary>
/// Applies a scenario's <see cref="ScenarioModel.Vocabulary"/>: every variant found (as a <see cref="WordPattern"/>,
/// longest first, left to right, never overlapping) is replaced by its canonical term. The engine runs it on
/// examples and keywords once at load and on each customer text before patterns, keywords and similarity;
/// the compiler's checks run it too, so both see the same text.
/// </summary>
public sealed class VocabularyRewriter
{
    readonly (WordPattern Variant, string Term, string Display)[] _variants;

    public VocabularyRewriter(IEnumerable<VocabularyTerm> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _variants = [.. vocabulary
            .SelectMany(t => t.Variants.Select(v => (Variant: WordPattern.Parse(v), Term: MatchText.NormalizeAndFold(t.Term), Display: $"{v}→{t.Term}")))
            .Where(v => v.Variant.Matching.Length > 0 && v.Variant.Matching != KanaFolding.Fold(v.Term))
            .OrderByDescending(v => v.Variant.Matching.Length)
            .ThenBy(v => v.Variant.Matching, StringComparer.Ordinal)];
    }

    public static readonly VocabularyRewriter Empty = new([]);

    public bool IsEmpty => _variants.Length == 0;

    /// <summary>
    /// <paramref name="folded"/> (from <see cref="MatchText.NormalizeAndFold"/>) with variants replaced; the
    /// replacements made are added to <paramref name="applied"/> as "variant→term" when it is given.
    /// </summary>
    public string Rewrite(string folded, ICollection<string>? applied = null)
    {
        ArgumentNullException.ThrowIfNull(folded);
        if (IsEmpty || !ContainsAnyVariant(KanaFolding.Fold(folded))) return folded;
        var text = TextSegmenter.Segment(folded);
        var result = new System.Text.StringBuilder(folded.Length + 8);
        var at = 0;
        while (at < folded.Length)
        {
            var replaced = false;
            foreach (var (variant, term, display) in _variants)
            {
                if (!variant.MatchesAt(text, at)) continue;
                result.Append(term);
                at += variant.Matching.Length;
                applied?.Add(display);
                replaced = true;
                break;
            }
            if (!replaced) result.Append(folded[at++]);
        }
        return result.ToString();
    }

    /// <summary>A quick test on the kana-folded text (folded once per message) before the word-boundary walk.</summary>
    bool ContainsAnyVariant(string matching)
    {
        foreach (var (variant, _, _) in _variants)
            if (matching.Contains(variant.Matching, StringComparison.Ordinal)) return true;
        return false;
    }
}
