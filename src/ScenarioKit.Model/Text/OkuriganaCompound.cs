namespace ScenarioKit.Model.Text;

/// <summary>
/// A compound written with okurigana inside it (docs/engine.md "Okurigana compounds"): kanji, one or two
/// hiragana, kanji — 「受け取(って)」「取り消(し)」「払い戻(し)」「申し込(み)」「問い合(わせ)」「引き落(とし)」
/// 「切り替(え)」 — is one word, read without its okurigana (受取, 取消, 払戻, 申込, 問合, 引落, 切替), so the same word
/// written with or without it (「受取」「取消し」) and in every inflection meets. The conjugation after the last kanji
/// is split off as after any kanji word.
/// </summary>
/// <remarks>
/// Okurigana inside a compound is the continuative (連用形) ending of its first verb: a kana of the i- or e-row
/// (取<b>り</b>, 受<b>け</b>, 払<b>い</b>, 切<b>り</b>), or two kana ending so (落<b>とし</b>物, 押<b>さえ</b>込み).
/// What must not join: a particle between two kanji words (「日<b>に</b>発送」「私<b>の</b>注文」「返品<b>は</b>可能」),
/// the te-form (「見<b>て</b>下さい」「届い<b>て</b>欲しい」), the attributive or past form (「届<b>く</b>日」
/// 「届い<b>た</b>商品」) and two-kana adjective endings (「新<b>しい</b>商品」「小<b>さい</b>箱」), none of which ends
/// in an i- or e-row kana other than the excluded ones. A one-kana adjective ending before a noun (「安<b>い</b>商品」
/// 「高<b>い</b>料金」) is told from a verb's 「い」 (「払<b>い</b>戻し」「買<b>い</b>物」) by the kanji before it: the one-kanji
/// stems of i-adjectives (<see cref="AdjectiveStems"/>) are not the stems of verbs that end in 「う」.
/// </remarks>
public static class OkuriganaCompound
{
    // Folded forms (small kana are full size): the i- and e-rows without the particles に and へ and the te-form て/で.
    const string Continuative = "いきぎしじちぢひびぴみりえけげせぜねべぺめれ";

    // Kana that begin a particle; two kana starting with one are a particle and a word (「のみ」「もし」). Not と: 「落とし物」.
    const string ParticleStart = "はがをにでもへのやか";

    static readonly string[] NotOkurigana = ["より", "なり", "たり", "だり"];

    /// <summary>
    /// Kanji that end an i-adjective's stem before a one-kana 「い」 (安い, 高い, 古い, 白い, 面白い, 黄色い): the 「い」 after
    /// them is an adjective ending, never a verb's continuative form, so 「安い商品」 is 安|い|商品, not 安商品.
    /// </summary>
    const string AdjectiveStems = "安高古青赤白黒早速遅重軽強弱広狭長短太細暑寒熱痛若良悪多深浅近遠薄厚濃硬固堅丸温緩汚暗明甘辛苦旨怖偉凄鈍鋭粗荒痒眠渋臭賢幼醜憎色";

    /// <summary>
    /// Where the compound that begins with the kanji run <c>[start, kanjiEnd)</c> ends, following okurigana and kanji as
    /// long as they alternate (「申し込み書」 → 申|し|込|み|書); <paramref name="kanjiEnd"/> when there is no okurigana compound.
    /// </summary>
    public static int End(string folded, int start, int kanjiEnd)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var end = kanjiEnd;
        while (true)
        {
            var kana = end;
            while (kana < folded.Length && kana - end < 3 && TextSegmenter.ScriptOf(folded[kana]) == Script.Hiragana) kana++;
            var next = kana;
            while (next < folded.Length && TextSegmenter.ScriptOf(folded[next]) == Script.Kanji) next++;
            if (next == kana || !IsOkurigana(folded.AsSpan(end, kana - end)) || IsAdjectiveEnding(folded, end, kana)) return end;
            end = next;
        }
    }

    /// <summary>The compound without its okurigana, kana-folded: 「受け取」 → 「受取」.</summary>
    public static string Reading(string folded, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var reading = new System.Text.StringBuilder(end - start);
        for (var i = start; i < end; i++)
            if (TextSegmenter.ScriptOf(folded[i]) == Script.Kanji) reading.Append(folded[i]);
        return reading.ToString();
    }

    /// <summary>Whether the kana <c>[kana, kanaEnd)</c> are the one-kana ending 「い」 of an i-adjective (<see cref="AdjectiveStems"/>).</summary>
    static bool IsAdjectiveEnding(string folded, int kana, int kanaEnd) =>
        kanaEnd - kana == 1 && folded[kana] == 'い' && AdjectiveStems.Contains(folded[kana - 1], StringComparison.Ordinal);

    /// <summary>Whether <paramref name="kana"/> (as typed, one or two hiragana) is okurigana inside a compound.</summary>
    public static bool IsOkurigana(ReadOnlySpan<char> kana)
    {
        if (kana.Length is 0 or > 2) return false;
        var last = KanaFolding.Fold(kana[^1]);
        if (!Continuative.Contains(last, StringComparison.Ordinal)) return false;
        if (kana.Length == 1) return true;
        var first = KanaFolding.Fold(kana[0]);
        if (last == 'い' || ParticleStart.Contains(first, StringComparison.Ordinal)) return false;
        Span<char> pair = [first, last];
        foreach (var word in NotOkurigana)
            if (pair.SequenceEqual(word)) return false;
        return true;
    }
}
