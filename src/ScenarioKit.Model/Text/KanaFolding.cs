namespace ScenarioKit.Model.Text;

/// <summary>
/// Character-for-character folding of Japanese for matching, applied after <see cref="MatchText.NormalizeAndFold"/>:
/// katakana to hiragana (「キャンセル」 matches 「きゃんせる」), small kana to full size (「ちょっと」 and 「ちよつと」,
/// 「ヴァ」 typed as 「ヴア」), and every long-vowel or wave mark (ー, 〜, ~) to 「ー」. One character in, one out:
/// positions found in the folded text are positions in the text it came from (keywords and vocabulary rely on it).
/// </summary>
public static class KanaFolding
{
    public const char LongVowel = 'ー';

    public static char Fold(char c)
    {
        // INVARIANT: one char in, one char out (see the class comment).
        if (c is >= '\u30A1' and <= '\u30F6') c = (char)(c - 0x60);
        return c switch
        {
            'ぁ' => 'あ',
            'ぃ' => 'い',
            'ぅ' => 'う',
            'ぇ' => 'え',
            'ぉ' => 'お',
            'っ' => 'つ',
            'ゃ' => 'や',
            'ゅ' => 'ゆ',
            'ょ' => 'よ',
            'ゎ' => 'わ',
            'ゕ' => 'か',
            'ゖ' => 'け',
            '〜' or '~' or '\u301C' => LongVowel,
            _ => c,
        };
    }

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = 0;
        while (i < text.Length && Fold(text[i]) == text[i]) i++;
        if (i == text.Length) return text;
        return string.Create(text.Length, text, static (span, s) =>
        {
            for (var j = 0; j < s.Length; j++) span[j] = Fold(s[j]);
        });
    }
}
