using System.Collections.Frozen;
using System.Collections.Immutable;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// How recognition reads a Japanese scenario's words beyond the script-change segmentation (docs/engine.md
/// "Compound words", "Romaji"), built once per package from its own examples, so it works for any scenario
/// and needs no dictionary:
/// <list type="bullet">
/// <item>Compound words: a kanji or katakana run is also read as the words of the scenario it is made of
/// (「到着予定日」 → 「予定日」 when an example has 「発送予定日」 and another 「発送」; 「有人チャット」 →
/// 「有人」「チャット」).</item>
/// <item>Romaji: a Latin word that reads as romaji is read as its hiragana ("henpin dekimasu ka" →
/// 「へんぴん|でき|ます|か」), in the examples and in the customer's text alike.</item>
/// </list>
/// </summary>
internal sealed class JapaneseReading
{
    /// <summary>Shorter pieces are not looked for: a single kanji is too ambiguous on its own (「人」 in 「人気」).</summary>
    const int MinimumPiece = 2;

    readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _words;
    readonly int _longest;

    JapaneseReading(HashSet<string> words)
    {
        _words = words.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _longest = words.Count == 0 ? 0 : words.Max(w => w.Length);
    }

    /// <summary>The known words: every kanji and katakana word of the examples, and what is left of each once the
    /// others are taken out of it (「発送予定日」 less 「発送」 leaves 「予定日」).</summary>
    public static JapaneseReading Build(IEnumerable<SegmentedText> examples)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var example in examples)
            foreach (var term in example.Terms)
                if (IsCompoundable(term) && term.Text.Length >= MinimumPiece) words.Add(term.Text);
        var reading = new JapaneseReading(words);
        var residues = new List<string>();
        foreach (var word in words.Order(StringComparer.Ordinal)) reading.Split(word, residues, residue: true);
        words.UnionWith(residues);
        return new JapaneseReading(words);
    }

    static bool IsCompoundable(Term term) => term.Script is Script.Kanji or Script.Katakana && !term.IsFunction;

    /// <summary>
    /// Adds to <paramref name="pieces"/> the shorter known words <paramref name="term"/> is made of, longest first from
    /// the left (a known compound is split too: 「発送予定日」 → 「発送」「予定日」); nothing when none is inside it.
    /// </summary>
    public void Pieces(Term term, List<string> pieces)
    {
        if (IsCompoundable(term) && term.Text.Length > MinimumPiece) Split(term.Text, pieces, residue: false);
    }

    /// <summary>Greedy longest match of known words shorter than <paramref name="word"/>; with <paramref name="residue"/>,
    /// the unmatched stretches of at least <see cref="MinimumPiece"/> characters between matches instead.</summary>
    void Split(string word, List<string> into, bool residue)
    {
        var i = 0;
        var unmatched = 0;
        var found = false;
        while (i < word.Length)
        {
            var length = LongestKnownAt(word, i);
            if (length == 0)
            {
                i++;
                unmatched++;
                continue;
            }
            if (residue && unmatched >= MinimumPiece) into.Add(word.Substring(i - unmatched, unmatched));
            if (!residue) into.Add(word.Substring(i, length));
            found = true;
            unmatched = 0;
            i += length;
        }
        if (residue && found && unmatched >= MinimumPiece) into.Add(word[^unmatched..]);
    }

    int LongestKnownAt(string word, int start)
    {
        for (var n = Math.Min(_longest, word.Length - start - (start == 0 ? 1 : 0)); n >= MinimumPiece; n--)
            if (_words.Contains(word.AsSpan(start, n))) return n;
        return 0;
    }

    /// <summary>The hiragana terms a romaji word reads as, or default when <paramref name="term"/> is not romaji.</summary>
    public static ImmutableArray<Term> ReadRomaji(SegmentedText text, Term term)
    {
        if (term.Script != Script.Latin) return default;
        var kana = Romaji.ToKana(text.Folded.AsSpan(term.Start, term.Length));
        return kana is null ? default : TextSegmenter.Segment(kana).Terms;
    }
}
