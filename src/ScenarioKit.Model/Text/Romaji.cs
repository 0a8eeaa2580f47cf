using System.Collections.Frozen;
using System.Text;

namespace ScenarioKit.Model.Text;

/// <summary>
/// Romaji to hiragana (docs/engine.md "Romaji"): Hepburn, Kunrei and Nihon-shiki spellings as customers type
/// them ("henpin dekimasu ka", "chuumon", "tyuumon", "kyanseru", "shiharai", "zasshi", "konnichiwa"). A word is
/// read only when every letter belongs to a syllable, so most English words ("return", "damaged", "help")
/// are left alone; the few that also read as romaji ("to", "name") are read the same way in the examples
/// and in the customer's text, so they still meet. A hand-written table: the syllabary is small and fixed,
/// and no .NET library for it is maintained offline without pulling a dictionary along.
/// </summary>
public static class Romaji
{
    static readonly FrozenDictionary<string, string> Syllables = BuildSyllables().ToFrozenDictionary(StringComparer.Ordinal);

    static Dictionary<string, string> BuildSyllables()
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        void Row(string consonant, string kana)
        {
            // kana lists the a, i, u, e, o syllables of the row; a space leaves a syllable out.
            const string vowels = "aiueo";
            for (var v = 0; v < 5; v++)
                if (kana[v] != ' ') table[consonant + vowels[v]] = kana[v].ToString();
        }
        Row("", "あいうえお");
        Row("k", "かきくけこ");
        Row("s", "さしすせそ");
        Row("t", "たちつてと");
        Row("n", "なにぬねの");
        Row("h", "はひふへほ");
        Row("m", "まみむめも");
        Row("y", "や ゆ よ");
        Row("r", "らりるれろ");
        Row("l", "らりるれろ");
        Row("w", "わ   を");
        Row("g", "がぎぐげご");
        Row("z", "ざじずぜぞ");
        Row("d", "だぢづでど");
        Row("b", "ばびぶべぼ");
        Row("p", "ぱぴぷぺぽ");
        Row("f", "ふ ふ  ");
        Row("v", "ゔ ゔ  ");
        table["shi"] = "し";
        table["chi"] = "ち";
        table["tsu"] = "つ";
        table["ji"] = "じ";
        table["fu"] = "ふ";
        // Contracted syllables: a consonant (or sh/ch/j) + y + a/u/o, written with a small ya/yu/yo.
        foreach (var (consonant, i) in new[] { ("k", "き"), ("s", "し"), ("t", "ち"), ("n", "に"), ("h", "ひ"), ("m", "み"), ("r", "り"), ("g", "ぎ"), ("z", "じ"), ("j", "じ"), ("d", "ぢ"), ("b", "び"), ("p", "ぴ"), ("c", "ち") })
            foreach (var (vowel, small) in new[] { ("a", "ゃ"), ("u", "ゅ"), ("o", "ょ"), ("e", "ぇ") })
                table[consonant + "y" + vowel] = i + small;
        foreach (var (prefix, i) in new[] { ("sh", "し"), ("ch", "ち"), ("j", "じ") })
            foreach (var (vowel, small) in new[] { ("a", "ゃ"), ("u", "ゅ"), ("o", "ょ"), ("e", "ぇ") })
                table[prefix + vowel] = i + small;
        // Loanword syllables: fa, fi, fe, fo, ti, di, she, che, je.
        foreach (var (vowel, small) in new[] { ("a", "ぁ"), ("i", "ぃ"), ("e", "ぇ"), ("o", "ぉ") }) table["f" + vowel] = "ふ" + small;
        table["ti"] = "ち";
        table["di"] = "ぢ";
        table["tu"] = "つ";
        table["du"] = "づ";
        table["si"] = "し";
        table["zi"] = "じ";
        table["hu"] = "ふ";
        table["wi"] = "うぃ";
        table["we"] = "うぇ";
        return table;
    }

    /// <summary>The longest syllable (consonant cluster + vowel) in the table: "chy", "sha" and the like are three letters.</summary>
    const int LongestSyllable = 3;

    /// <summary>
    /// The hiragana reading of a lower-case word, or null when some letter does not fit a syllable (then the word
    /// is not romaji). A doubled consonant is a small tsu (「zasshi」→「ざっし」, "matcha" →「まっちゃ」); n before a
    /// consonant, at the end, doubled or followed by an apostrophe is 「ん」 ("kon'nichiwa", "konnichiwa"), and so is
    /// m before b or p ("shimbun").
    /// </summary>
    public static string? ToKana(ReadOnlySpan<char> word)
    {
        if (word.IsEmpty) return null;
        if (word.ContainsAnyExcept(AsciiLetters))
        {
            var expanded = ExpandLongVowels(word);
            return expanded.AsSpan().ContainsAnyExcept(AsciiLetters) ? null : ToKana(expanded);
        }
        var kana = new StringBuilder(word.Length);
        var i = 0;
        while (i < word.Length)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            if (c == 'n' && next is '\'' or '\u2019' || c == 'n' && next == 'n' && i + 2 == word.Length)
            {
                kana.Append('ん');
                i += 2;
                continue;
            }
            if (c == 'n' && !IsVowel(next) && next != 'y' || c == 'm' && next is 'b' or 'p')
            {
                kana.Append('ん');
                i++;
                continue;
            }
            if (char.IsAsciiLetterLower(c) && !IsVowel(c) && c != 'n' && (next == c || c == 't' && next == 'c'))
            {
                kana.Append('っ');
                i++;
                continue;
            }
            var matched = 0;
            for (var n = Math.Min(LongestSyllable, word.Length - i); n >= 1; n--)
                if (Syllables.TryGetValue(word.Slice(i, n).ToString(), out var syllable))
                {
                    kana.Append(syllable);
                    matched = n;
                    break;
                }
            if (matched == 0) return null;
            i += matched;
        }
        return kana.ToString();
    }

    static bool IsVowel(char c) => c is 'a' or 'i' or 'u' or 'e' or 'o';

    static readonly System.Buffers.SearchValues<char> AsciiLetters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz'\u2019");

    /// <summary>
    /// A long vowel written with a macron or circumflex as the two vowels a customer would otherwise type ("tōkyō" →
    /// "toukyou", "chûmon" → "chuumon"). Other letters are kept, and then the word is not romaji.
    /// </summary>
    static string ExpandLongVowels(ReadOnlySpan<char> word)
    {
        var expanded = new StringBuilder(word.Length + 4);
        foreach (var c in word)
            expanded.Append(c switch
            {
                'ā' or 'â' => "aa",
                'ī' or 'î' => "ii",
                'ū' or 'û' => "uu",
                'ē' or 'ê' => "ei",
                'ō' or 'ô' => "ou",
                _ => c.ToString(),
            });
        return expanded.ToString();
    }
}
