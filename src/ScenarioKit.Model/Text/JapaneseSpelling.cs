using System.Collections.Frozen;

namespace ScenarioKit.Model.Text;

/// <summary>
/// Everyday words Japanese writers spell in kanji or in kana at their whim (docs/engine.md "Kanji and kana
/// spellings"), folded to one spelling before segmentation, in examples and customer text alike: 「下さい」→「ください」,
/// 「出来ます」→「できます」, 「分かりません」→「わかりません」, 「欲しい」→「ほしい」, 「無い」→「ない」, 「何時」→「いつ」,
/// 「とどかない」→「届かない」, 「こと」→「事」. Auxiliaries and function words go to kana, where the segmenter's ending and
/// negation rules see them; content words go to kanji, where a script change makes them words.
/// </summary>
/// <remarks>
/// A kanji entry applies to a whole kanji run (「無」 alone, never in 「無料」; 「有」 never in 「有人」), an auxiliary also at
/// the end of one (「返品出来ます」) and a leading word at its start (「何時届く」), followed by the kana it is known by
/// (「下」 only as 「下さ…」). The table is small and written by hand:
/// a general dictionary would not know which spellings a shop's customers mix.
/// </remarks>
public static class JapaneseSpelling
{
    /// <summary>Where in a kanji run an entry's kanji may stand.</summary>
    enum Place : byte
    {
        /// <summary>The whole run (「無」 alone, never in 「無料」 or 「皆無」).</summary>
        Whole,
        /// <summary>The whole run or its end: an auxiliary after a kanji word (「返品出来ます」「ご確認頂けますか」).</summary>
        End,
        /// <summary>The whole run or its start: a word before another (「何時届きますか」「色々聞きたい」).</summary>
        Start,
    }

    /// <param name="Kanji">The kanji as written.</param>
    /// <param name="Next">The kana that must follow when the kanji ends the run (kept), or empty.</param>
    /// <param name="Kana">What the kanji is read as.</param>
    /// <param name="NotBefore">For <see cref="Place.Start"/>: kanji after which it is another word (「何時間」).</param>
    readonly record struct KanjiEntry(string Kanji, string Next, string Kana, Place Place = Place.Whole, string NotBefore = "");

    static readonly KanjiEntry[] KanjiEntries =
    [
        new("下", "さ", "くだ", Place.End),    // 下さい, 教えて下さい
        new("欲", "し", "ほ", Place.End),      // 欲しい
        new("出来", "", "でき", Place.End),    // 出来る, 返品出来ますか
        new("頂", "", "いただ", Place.End),    // 頂く, ご確認頂けますか
        new("戴", "", "いただ", Place.End),
        new("貰", "", "もら", Place.End),      // 貰える
        new("分", "か", "わ"),                 // 分かる, 分かりません (not 「自分かな」)
        new("致", "し", "いた"),               // 致します (not 「一致し」)
        new("無", "", "な"),                   // 無い, 無し, 無く
        new("有", "", "あ"),                   // 有る, 有ります (not 「共有」)
        new("宜", "し", "よろ"),               // 宜しく
        new("未", "だ", "ま"),                 // 未だ
        new("何時", "", "いつ", Place.Start, "間"),
        new("色々", "", "いろいろ", Place.Start),
        new("頃", "", "ごろ", Place.Start),    // いつ頃
        new("様", "", "さま"),
        new("又", "", "また"),
    ];

    /// <summary>The honorific prefix 「御」 before a kanji word of two or more (「御注文」「御連絡」) is 「ご」; 「御社」「御礼」 keep it.</summary>
    const char Honorific = '御';

    /// <summary>
    /// Kana spellings read as their kanji, with the kana that may follow (empty: anything, or the end): the content verb
    /// 届く, and the nouns こと/もの/とき, whose kanji cuts the hiragana run they sit in (「いないものが」 → いない|物|が).
    /// Since session 7 also the support words customers type in kana (or in romaji, read as kana: "henpin" → へんぴん →
    /// 返品): compound verbs as their okurigana compound (「とりかえて」 = 「取り替えて」 → 取替|えて, 「とりけし」 → 取消) and
    /// nouns of two kanji (へんぴん/返品, そうりょう/送料, ちゅうもん/注文). A kana spelling that is also an everyday phrase
    /// stays kana (「はいそう」 is also 「はい、そう…」, 「ざいこ」 is inside 「ございこちら」, 「こうかん」 in 「こうかんじ」, 「にもつ」 in
    /// 「かれにもつたえて」).
    /// </summary>
    static readonly (string Kana, string Then, string Kanji)[] KanaEntries =
    [
        ("とど", "かきくけこい", "届"),    // とどく, とどかない, とどいて
        ("こと", "", "事"),
        ("もの", "", "物"),
        ("とき", "", "時"),
        // Compound verbs, read as their okurigana compound (OkuriganaCompound) with the conjugation after it.
        ("とりか", "え", "取替"),          // とりかえて, とりかえたい
        ("とりけ", "しさすせ", "取消"),    // とりけして, とりけしたい
        ("はらいもど", "しさすせ", "払戻"),
        ("うけと", "らりるれろっ", "受取"),
        ("もうしこ", "まみむめもん", "申込"),
        ("といあわ", "せさ", "問合"),
        ("ひきお", "とち", "引落"),        // ひきおとし, ひきおちない
        // Nouns of two kanji.
        ("へんぴん", "", "返品"),
        ("へんきん", "", "返金"),
        ("へんそう", "", "返送"),
        ("はっそう", "", "発送"),
        ("はいたつ", "", "配達"),
        ("とうちゃく", "", "到着"),
        ("ついせき", "", "追跡"),
        ("ちゅうもん", "", "注文"),
        ("しはらい", "", "支払"),
        ("せいきゅう", "", "請求"),
        ("りょうきん", "", "料金"),
        ("そうりょう", "", "送料"),
        ("けいやく", "", "契約"),
        ("かいやく", "", "解約"),
        ("へんこう", "", "変更"),
        ("かくにん", "", "確認"),
        ("れんらく", "", "連絡"),
        ("でんわ", "", "電話"),
        ("たんとうしゃ", "", "担当者"),
        ("しょうひん", "", "商品"),
    ];

    /// <summary><see cref="KanaEntries"/> by their first kana, in table order (a longer spelling before its prefix).</summary>
    static readonly FrozenDictionary<char, (string Kana, string Then, string Kanji)[]> KanaEntriesByFirst =
        KanaEntries.GroupBy(e => e.Kana[0]).ToFrozenDictionary(g => g.Key, g => g.ToArray());

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

    /// <summary>After 「っ」 the kana end a word and begin the next: 「ちょっと|きいて」 is not 「ちょっ|とき|いて」.</summary>
    static bool AfterSmallTsu(string text, int at) => at > 0 && text[at - 1] == 'っ';

    /// <summary>The length of text replaced at <paramref name="at"/> and its replacement, or (0, "").</summary>
    static (int Length, string Kana) Match(string text, int at)
    {
        var script = TextSegmenter.ScriptOf(text[at]);
        if (script == Script.Kanji)
        {
            var runStart = at;
            while (runStart > 0 && TextSegmenter.ScriptOf(text[runStart - 1]) == Script.Kanji) runStart--;
            var end = at;
            while (end < text.Length && TextSegmenter.ScriptOf(text[end]) == Script.Kanji) end++;
            var rest = text.AsSpan(at, end - at);
            foreach (var entry in KanjiEntries)
            {
                if (!rest.StartsWith(entry.Kanji, StringComparison.Ordinal)) continue;
                var endsRun = rest.Length == entry.Kanji.Length;
                var fits = entry.Place switch
                {
                    Place.Whole => at == runStart && endsRun,
                    Place.End => endsRun,
                    _ => at == runStart && (endsRun || !entry.NotBefore.Contains(rest[entry.Kanji.Length], StringComparison.Ordinal)),
                };
                if (fits && (!endsRun || text.AsSpan(end).StartsWith(entry.Next, StringComparison.Ordinal))) return (entry.Kanji.Length, entry.Kana);
            }
            if (at == runStart && rest.Length >= 3 && rest[0] == Honorific) return (1, "ご");
            return (0, "");
        }
        if (script == Script.Hiragana && KanaEntriesByFirst.TryGetValue(text[at], out var entries))
            foreach (var (kana, then, kanji) in entries)
                if (text.AsSpan(at).StartsWith(kana, StringComparison.Ordinal) && !AfterSmallTsu(text, at)
                    && (then.Length == 0 || (at + kana.Length < text.Length && then.Contains(text[at + kana.Length], StringComparison.Ordinal))))
                    return (kana.Length, kanji);
        return (0, "");
    }
}
