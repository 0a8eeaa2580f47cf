namespace ScenarioKit.Model.Text;

/// <summary>
/// A keyword or vocabulary variant prepared for matching (docs/language.md "Keywords"). It is found in the
/// kana-folded text starting at a word boundary (<see cref="SegmentedText.IsBoundary"/>), and an English
/// one also ending at one: 「いくら」 matches
/// 「いくらですか」 and 「おいくら」 but not 「ないくらい」; "refund" matches "refunds" and "refunded" but not
/// "refundable". Written as <c>*いくら*</c> it matches anywhere, as a plain substring (the designer's opt-in).
/// </summary>
public sealed record WordPattern(string Source, string Matching, bool Substring)
{
    static readonly string[] Inflections = ["s", "es", "ed", "d", "ing"];

    /// <summary>
    /// Prepares a keyword as written in the scenario, with the scenario's vocabulary applied when given (so a
    /// keyword written as a variant still meets the rewritten text); <see cref="Matching"/> is empty when nothing is left.
    /// </summary>
    public static WordPattern Parse(string source, VocabularyRewriter? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var substring = IsSubstringForm(source);
        var folded = MatchText.NormalizeAndFold(substring ? source[1..^1] : source);
        if (vocabulary is not null) folded = vocabulary.Rewrite(folded);
        return new WordPattern(source, KanaFolding.Fold(folded), substring);
    }

    /// <summary><c>*text*</c>: the designer's opt-in to plain substring matching.</summary>
    public static bool IsSubstringForm(string source) => source.Length > 2 && source[0] == '*' && source[^1] == '*';

    public bool IsIn(SegmentedText text) => IndexIn(text, 0) >= 0;

    /// <summary>The first position at or after <paramref name="from"/> where this matches, or -1.</summary>
    public int IndexIn(SegmentedText text, int from)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Matching.Length == 0) return -1;
        var haystack = text.Matching;
        for (var at = haystack.IndexOf(Matching, from, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(Matching, at + 1, StringComparison.Ordinal))
            if (Substring || (text.IsBoundary(at) && EndsAtWord(text, at + Matching.Length)))
                return at;
        return -1;
    }

    /// <summary>Whether this matches exactly at <paramref name="at"/>.</summary>
    public bool MatchesAt(SegmentedText text, int at)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Matching.Length > 0 && at + Matching.Length <= text.Matching.Length
            && string.CompareOrdinal(text.Matching, at, Matching, 0, Matching.Length) == 0
            && (Substring || (text.IsBoundary(at) && EndsAtWord(text, at + Matching.Length)));
    }

    /// <summary>
    /// Japanese words end inside a hiragana run (okurigana and particles follow: 「お届け|は」), so only a match
    /// ending in a Latin letter or digit must end at a word boundary, and an English word may carry an
    /// inflection after it ("refund" in "refunds").
    /// </summary>
    static bool EndsAtWord(SegmentedText text, int end)
    {
        if (text.IsBoundary(end)) return true;
        var last = TextSegmenter.ScriptOf(text.Matching[end - 1]);
        if (last == Script.Digit) return false;
        if (last != Script.Latin) return true;
        var wordEnd = end;
        while (wordEnd < text.Matching.Length && !text.IsBoundary(wordEnd)) wordEnd++;
        var rest = text.Matching.AsSpan(end, wordEnd - end);
        foreach (var inflection in Inflections)
            if (rest.SequenceEqual(inflection)) return true;
        return false;
    }
}
