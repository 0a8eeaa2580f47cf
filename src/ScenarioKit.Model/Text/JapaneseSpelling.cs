namespace ScenarioKit.Model.Text;

/// <summary>
/// Everyday words Japanese writers spell in kanji or in kana at their whim (docs/engine.md "Kanji and kana
/// spellings"), folded to one spelling before segmentation, in examples and customer text alike: 「下さい」→「ください」,
/// 「出来ます」→「できます」, 「分かりません」→「わかりません」, 「欲しい」→「ほしい」, 「無い」→「ない」, 「何時」→「いつ」,
/// 「とどかない」→「届かない」, 「こと」→「事」. Auxiliaries and function words go to kana, where the segmenter's ending and
/// negation rules see them; content words go to kanji, where a script change makes them words.
/// </summary>
/// <remarks>
/// A kanji entry applies only to a whole kanji run (「無」 alone, never in 「無料」; 「有」 never in 「有人」),
/// optionally followed by the kana it is known by (「下」 only as 「下さ…」). The table is small and written by hand:
/// a general dictionary would not know which spellings a shop's customers mix.
/// </remarks>
public static class JapaneseSpelling
{
    /// <param name="Kanji">The whole kanji run.</param>
    /// <param name="Next">The kana that must follow it (kept), or empty.</param>
    /// <param name="Kana">What the kanji run is read as.</param>
    readonly record struct KanjiEntry(string Kanji, string Next, string Kana);

    static readonly KanjiEntry[] KanjiEntries =
    [
        new("下", "さ", "くだ"),       // 下さい
        new("欲", "し", "ほ"),         // 欲しい
        new("出来", "", "でき"),       // 出来る, 出来ます, 出来ない
        new("分", "か", "わ"),         // 分かる, 分かりません
        new("頂", "", "いただ"),       // 頂く, 頂けますか
        new("戴", "", "いただ"),
        new("貰", "", "もら"),         // 貰える
        new("致", "し", "いた"),       // 致します
        new("無", "", "な"),           // 無い, 無し, 無く
        new("有", "", "あ"),           // 有る, 有ります
        new("宜", "し", "よろ"),       // 宜しく
        new("未", "だ", "ま"),         // 未だ
        new("何時", "", "いつ"),
        new("色々", "", "いろいろ"),
        new("様", "", "さま"),
        new("頃", "", "ごろ"),         // いつ頃
        new("又", "", "また"),
    ];

    /// <summary>The honorific prefix 「御」 before a kanji word of two or more (「御注文」「御連絡」) is 「ご」; 「御社」「御礼」 keep it.</summary>
    const char Honorific = '御';

    /// <summary>
    /// Kana spellings read as their kanji, with the kana that may follow (empty: anything, or the end): the content verb
    /// 届く, and the nouns こと/もの/とき, whose kanji cuts the hiragana run they sit in (「いないものが」 → いない|物|が).
    /// </summary>
    static readonly (string Kana, string Then, string Kanji)[] KanaEntries =
    [
        ("とど", "かきくけこい", "届"),    // とどく, とどかない, とどいて
        ("こと", "", "事"),
        ("もの", "", "物"),
        ("とき", "", "時"),
    ];

    /// <summary>
    /// <paramref name="folded"/> (from <see cref="MatchText.NormalizeAndFold"/>) with the table applied, and where each of
    /// its characters came from (<c>map[i]</c> is the index in <paramref name="folded"/> of the character that gave character
    /// i, <c>map[^1]</c> its length); <paramref name="map"/> is null when nothing was respelt (the text is returned as is).
    /// </summary>
    public static string Respell(string folded, out int[]? map)
    {
        ArgumentNullException.ThrowIfNull(folded);
        map = null;
        System.Text.StringBuilder? result = null;
        List<int>? sources = null;
        var copied = 0;
        var i = 0;
        while (i < folded.Length)
        {
            var (length, kana) = Match(folded, i);
            if (length == 0)
            {
                i++;
                continue;
            }
            result ??= new System.Text.StringBuilder(folded.Length + 8);
            sources ??= new List<int>(folded.Length + 8);
            for (; copied < i; copied++)
            {
                result.Append(folded[copied]);
                sources.Add(copied);
            }
            // Characters of a replacement are spread over the characters they replace, so a word inside keeps a position.
            for (var j = 0; j < kana.Length; j++)
            {
                result.Append(kana[j]);
                sources.Add(i + j * length / kana.Length);
            }
            i += length;
            copied = i;
        }
        if (result is null || sources is null) return folded;
        for (; copied < folded.Length; copied++)
        {
            result.Append(folded[copied]);
            sources.Add(copied);
        }
        sources.Add(folded.Length);
        map = [.. sources];
        return result.ToString();
    }

    /// <summary>The length of text replaced at <paramref name="at"/> and its replacement, or (0, "").</summary>
    static (int Length, string Kana) Match(string text, int at)
    {
        var script = TextSegmenter.ScriptOf(text[at]);
        var runStart = at == 0 || TextSegmenter.ScriptOf(text[at - 1]) != script;
        if (script == Script.Kanji && runStart)
        {
            var end = at;
            while (end < text.Length && TextSegmenter.ScriptOf(text[end]) == Script.Kanji) end++;
            var run = text.AsSpan(at, end - at);
            foreach (var entry in KanjiEntries)
                if (run.SequenceEqual(entry.Kanji) && text.AsSpan(end).StartsWith(entry.Next, StringComparison.Ordinal))
                    return (run.Length, entry.Kana);
            if (run.Length >= 3 && run[0] == Honorific) return (1, "ご");
            return (0, "");
        }
        if (script == Script.Hiragana)
            foreach (var (kana, then, kanji) in KanaEntries)
                if (text.AsSpan(at).StartsWith(kana, StringComparison.Ordinal)
                    && (then.Length == 0 || (at + kana.Length < text.Length && then.Contains(text[at + kana.Length], StringComparison.Ordinal))))
                    return (kana.Length, kanji);
        return (0, "");
    }
}
