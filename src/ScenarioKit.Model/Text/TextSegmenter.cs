using System.Collections.Frozen;
using System.Collections.Immutable;

namespace ScenarioKit.Model.Text;

/// <summary>The writing system of a run of characters; a change of script is a word boundary in Japanese.</summary>
public enum Script : byte { Other, Kanji, Hiragana, Katakana, Latin, Digit }

/// <summary>
/// One word of segmented text: where it is in the folded text, its script, the form recognition compares
/// (<see cref="Text"/>: kana folded, long-vowel marks dropped, English stemmed) and whether it is a function
/// word (a polite or sentence-final ending such as 「ですか」「ください」「かな」, a particle, or an English stop
/// word), which weighs little.
/// </summary>
public readonly record struct Term(int Start, int Length, Script Script, string Text, bool IsFunction);

/// <summary>Folded text cut into <see cref="Term"/>s, with the positions a keyword may start or end at.</summary>
public sealed class SegmentedText
{
    readonly bool[] _boundary;

    internal SegmentedText(string folded, ImmutableArray<Term> terms, bool[] boundary)
    {
        Folded = folded;
        Matching = KanaFolding.Fold(folded);
        Terms = terms;
        _boundary = boundary;
    }

    /// <summary>The text as <see cref="MatchText.NormalizeAndFold"/> gave it (patterns run on this).</summary>
    public string Folded { get; }

    /// <summary><see cref="Folded"/> after <see cref="KanaFolding"/>, the same length: keywords and vocabulary are found in this.</summary>
    public string Matching { get; }

    public ImmutableArray<Term> Terms { get; }

    /// <summary>
    /// Whether a word may start or end at <paramref name="position"/>: a script change, a space or punctuation,
    /// the edge of a split-off ending, or any position inside a kanji or katakana run (compounds such as
    /// 「配送状況」「クレジットカード」 are made of words). Inside a hiragana or Latin run there is none, so
    /// 「いくら」 is not found in 「ないくらい」 nor "bill" in "billion".
    /// </summary>
    public bool IsBoundary(int position) => position >= 0 && position < _boundary.Length && _boundary[position];
}

/// <summary>
/// Word segmentation without a dictionary (docs/engine.md "Text handling"): everyday words are first respelt one way
/// (<see cref="JapaneseSpelling"/>), then Japanese is cut where the script changes (kanji, hiragana, katakana, Latin,
/// digits; an okurigana compound such as 「受け取って」 stays one word: <see cref="OkuriganaCompound"/>), an honorific
/// 「お」「ご」 is split from the front of a hiragana run and polite and sentence-final endings from its end; English is cut at spaces and punctuation,
/// informal forms and open compounds are read as the words they stand for, stop words are marked as function words
/// and the rest stemmed (<see cref="EnglishWords"/>).
/// Deterministic and allocation-light; the compiler and the engine use the same rules.
/// </summary>
public static class TextSegmenter
{
    // Written in ordinary kana; folded once (small kana become full size, as in the text they are compared with).
    static readonly string[] EndingList =
    [
        "です", "ですか", "ですが", "でした", "でしょうか", "でしょう", "ますか", "ます", "ました", "ません", "ませんか", "ますでしょうか",
        "ください", "くださいませ", "てください", "でください", "ちょうだい", "いします", "いしたい",
        "たい", "たいです", "たいんですが", "たいんですけど", "たいのですが", "ほしい", "てほしい", "ほしいです",
        "か", "かな", "かね", "かしら", "よね", "よ", "ね", "わ", "ぞ", "の", "のか", "のかな", "のに", "ので",
        "けど", "けれど", "けれども", "んですが", "んですけど", "んだけど", "んです", "んだ", "のですが",
        "もらえますか", "もらえる", "もらえませんか", "いただけますか", "いただけませんか",
        "だ", "だよ", "だね", "だけど", "ている", "ています", "てる", "てます", "って",
        // Colloquial endings: ～ちゃう, ～じゃない, ～っす, ～んだよね, ～てた.
        "ちゃう", "ちゃった", "ちゃって", "ちゃいました", "ちゃいます", "じゃう", "じゃった", "じゃない", "じゃないですか", "じゃん",
        "っす", "っすか", "っすね", "っすけど", "んすけど", "んだよね", "だよね", "よな", "でる", "てた", "でた", "てました",
        // Conditionals and softened endings (session 7): ～ましたら, ～でしたら, ～たら, ～ですね, ～ますよ.
        "ましたら", "でしたら", "たら", "だったら", "ですね", "ですよ", "ですよね", "ますね", "ますよ",
    ];

    /// <summary>
    /// Auxiliary verbs that end an inflection chain after a particle inside one hiragana run (「いつごろ|に|なり|ますか」
    /// 「いつ|に|なる」「どれくらい|で|でき|ますか」): split off the back, with their particle, once the endings are gone.
    /// </summary>
    static readonly string[] AuxiliaryList = ["なり", "なる", "なっ", "なら", "なれ", "な", "あり", "ある", "あっ", "して", "した", "する", "され", "でき", "できる"];

    /// <summary>The particles an <see cref="AuxiliaryList"/> verb follows in a chain (に なる, が ある, を する, で できる).</summary>
    const string ChainParticles = "にがをはでもと";

    /// <summary>Particles split from the front of a hiragana run that follows a word (「送料|は|おいくら」「返品|の|やり方」).</summary>
    static readonly string[] LeadingParticleList = ["って", "は", "が", "を", "に", "で", "と", "も", "へ", "の"];

    /// <summary>
    /// 「を」 begins no word in modern Japanese, so it is split off even when one character is left (「荷物の追跡|を|お|願い」,
    /// 「担当者|を|お|願い」: 「をお」 was a word both shared); the other particles need two left (「もう」 is not も|う).
    /// </summary>
    const string ObjectParticle = "を";

    static readonly string[] ParticleList = ["は", "が", "を", "に", "で", "と", "も", "へ", "や", "から", "まで", "より", "など", "とか", "ってば"];

    static readonly string[] StopWordList =
    [
        "i", "me", "my", "mine", "we", "our", "us", "you", "your", "it", "its", "this", "that", "these", "those",
        "a", "an", "the", "to", "of", "in", "on", "at", "for", "from", "by", "with", "and", "or", "but", "so",
        "is", "am", "are", "was", "were", "be", "been", "do", "does", "did", "can", "could", "would", "will", "should",
        "have", "has", "had", "want", "wanna", "wants", "need", "needs", "all", "very", "really", "please", "pls", "plz", "just", "some", "any", "there", "here", "s", "t", "d", "ll", "re", "ve", "m", "im",
        // "like" as in "I'd like to" asks, as "want" does; contractions typed without their apostrophe.
        "like", "id", "ive", "youre", "thats", "theres", "lets",
    ];

    /// <summary>Negations typed without their apostrophe; they, "not" and every "…n't" become the one word "not".</summary>
    static readonly string[] NegationList =
    [
        "not", "dont", "doesnt", "didnt", "cant", "cannot", "wont", "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "hadnt",
        "couldnt", "wouldnt", "shouldnt", "aint",
    ];

    static readonly FrozenSet<string> Endings = EndingList.Select(KanaFolding.Fold).ToFrozenSet(StringComparer.Ordinal);
    static readonly string[] Auxiliaries = [.. AuxiliaryList.Select(KanaFolding.Fold).OrderByDescending(a => a.Length)];
    static readonly int LongestEnding = Endings.Max(e => e.Length);
    static readonly FrozenSet<string> Particles = ParticleList.Select(KanaFolding.Fold).Concat(Endings).ToFrozenSet(StringComparer.Ordinal);
    static readonly string[] LeadingParticles = [.. LeadingParticleList.Select(KanaFolding.Fold)];
    static readonly FrozenSet<string> StopWords = StopWordList.ToFrozenSet(StringComparer.Ordinal);
    static readonly FrozenSet<string> Negations = NegationList.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The form every English negation takes, so "hasn't arrived", "has not arrived" and "hasnt arrived" share it.</summary>
    public const string Negation = "not";

    /// <summary>Segments text already normalised and case-folded by <see cref="MatchText.NormalizeAndFold"/>.</summary>
    public static SegmentedText Segment(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var respelt = JapaneseSpelling.Respell(folded, out var map);
        var (terms, boundary) = Cut(respelt);
        var segmented = map is null ? new SegmentedText(folded, terms.ToImmutable(), boundary) : Remap(folded, terms, boundary, map);
        // The builder is scratch (every message is segmented, often more than once): kept for this thread's next call.
        if (terms.Capacity <= 256) t_terms = terms;
        return segmented;
    }

    [ThreadStatic] static ImmutableArray<Term>.Builder? t_terms;

    /// <summary>Terms and boundaries of respelt text moved back onto the text as typed (a term keeps at least one character).</summary>
    static SegmentedText Remap(string folded, ImmutableArray<Term>.Builder terms, bool[] boundary, int[] map)
    {
        var typed = new bool[folded.Length + 1];
        for (var p = 0; p < boundary.Length; p++) typed[map[p]] |= boundary[p];
        for (var t = 0; t < terms.Count; t++)
        {
            var term = terms[t];
            var start = map[term.Start];
            terms[t] = term with { Start = start, Length = Math.Max(1, map[term.Start + term.Length] - start) };
        }
        return new SegmentedText(folded, terms.ToImmutable(), typed);
    }

    static (ImmutableArray<Term>.Builder Terms, bool[] Boundary) Cut(string folded)
    {
        var terms = t_terms ?? ImmutableArray.CreateBuilder<Term>();
        t_terms = null;
        terms.Clear();
        var boundary = new bool[folded.Length + 1];
        var i = 0;
        while (i < folded.Length)
        {
            var script = ScriptOf(folded[i]);
            if (script == Script.Other)
            {
                boundary[i] = boundary[i + 1] = true;
                i++;
                continue;
            }
            var start = i++;
            while (i < folded.Length && Continues(script, folded[i])) i++;
            boundary[start] = boundary[i] = true;
            if (script == Script.Kanji && OkuriganaCompound.End(folded, start, i) is var compoundEnd && compoundEnd > i)
            {
                for (var p = start; p <= compoundEnd; p++) boundary[p] = true;
                terms.Add(new Term(start, compoundEnd - start, Script.Kanji, OkuriganaCompound.Reading(folded, start, compoundEnd), false));
                i = compoundEnd;
                continue;
            }
            if (script == Script.Latin && CompoundEnd(folded, start, i, out var compound) is var latinEnd && latinEnd > i)
            {
                // "log in", "wi-fi": one word, while keywords still find either part at its boundaries.
                boundary[i + 1] = boundary[latinEnd] = true;
                AddEnglish(folded, start, latinEnd - start, compound!, terms);
                i = latinEnd;
                continue;
            }
            AddRun(folded, start, i - start, script, afterWord: start > 0 && ScriptOf(folded[start - 1]) != Script.Other, terms, boundary);
        }
        return (terms, boundary);
    }

    public static Script ScriptOf(char c) => c switch
    {
        >= '\u3041' and <= '\u309F' => Script.Hiragana,
        >= '\u30A1' and <= '\u30FA' or >= '\u30FD' and <= '\u30FF' or >= '\u31F0' and <= '\u31FF' => Script.Katakana,
        >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' or '々' or '〆' => Script.Kanji,
        _ when char.IsDigit(c) => Script.Digit,
        _ when char.IsLetter(c) => Script.Latin,
        _ => Script.Other,
    };

    static bool Continues(Script run, char c) =>
        ScriptOf(c) == run || (run is Script.Hiragana or Script.Katakana && (c == 'ー' || KanaFolding.Fold(c) == KanaFolding.LongVowel));

    static void AddRun(string text, int start, int length, Script script, bool afterWord, ImmutableArray<Term>.Builder terms, bool[] boundary)
    {
        switch (script)
        {
            case Script.Kanji or Script.Katakana:
                // Compounds: a keyword may begin or end anywhere inside.
                for (var p = start; p <= start + length; p++) boundary[p] = true;
                AddTerm(text, start, length, script, isFunction: false, terms);
                break;
            case Script.Hiragana:
                AddHiragana(text, start, length, afterWord, terms, boundary);
                // A negated verb or adjective (届|かない, 届|いてない, 届|きません, ログイン|できない) also adds the negation as a word.
                var afterStem = start > 0 && ScriptOf(text[start - 1]) is Script.Kanji or Script.Katakana;
                if (afterStem && IsNegative(KanaFolding.Fold(text.Substring(start, length))))
                    terms.Add(new Term(start, length, Script.Hiragana, JapaneseNegation, false));
                break;
            case Script.Latin:
                var word = text.Substring(start, length);
                if (EnglishWords.Expand(word) is { } words)
                    foreach (var w in words) AddEnglish(text, start, length, w, terms);
                else
                    AddEnglish(text, start, length, word, terms);
                break;
            default:
                terms.Add(new Term(start, length, script, text.Substring(start, length), false));
                break;
        }
    }

    /// <summary>
    /// An English word (<paramref name="word"/>: as typed, or what an informal form or compound at
    /// [<paramref name="start"/>, +<paramref name="length"/>) stands for): a contraction's "n't" is the negation and
    /// the word before it ("don", "haven", "won") a function word; stop words stay as typed; anything else is
    /// stemmed (<see cref="EnglishWords.Stem"/>).
    /// </summary>
    static void AddEnglish(string text, int start, int length, string word, ImmutableArray<Term>.Builder terms)
    {
        if (Negations.Contains(word) || (word == "t" && IsApostrophe(text, start - 1) && start >= 2 && text[start - 2] == 'n'))
        {
            terms.Add(new Term(start, length, Script.Latin, Negation, false));
            return;
        }
        var end = start + length;
        var stop = StopWords.Contains(word)
            || (word[^1] == 'n' && IsApostrophe(text, end) && end + 1 < text.Length && text[end + 1] == 't' && (end + 2 == text.Length || !char.IsLetter(text[end + 2])));
        terms.Add(new Term(start, length, Script.Latin, stop ? word : EnglishWords.Stem(word), stop));
    }

    /// <summary>
    /// Where the closed compound that the Latin run [<paramref name="start"/>, <paramref name="end"/>) begins ends
    /// ("log" + " in", "wi" + "-fi"), or <paramref name="end"/> when it begins none; <paramref name="compound"/> is the closed word.
    /// </summary>
    static int CompoundEnd(string text, int start, int end, out string? compound)
    {
        compound = null;
        if (end + 1 >= text.Length || text[end] is not (' ' or '-') || ScriptOf(text[end + 1]) != Script.Latin) return end;
        var next = end + 1;
        while (next < text.Length && ScriptOf(text[next]) == Script.Latin) next++;
        compound = EnglishWords.Compound(text.AsSpan(start, end - start), text.AsSpan(end + 1, next - end - 1));
        return compound is null ? end : next;
    }

    static bool IsApostrophe(string text, int at) => at >= 0 && at < text.Length && text[at] is '\'' or '\u2019';

    /// <summary>
    /// The word every Japanese negation after a kanji stem adds (届かない, 届いてない, 届きません, 知らない), as
    /// English "n't" becomes "not": the inflections differ, the negation is what they share.
    /// </summary>
    public const string JapaneseNegation = "ない";

    // Folded (っ → つ): ない, なかった, なくて, ません.
    static readonly string[] NegationMarkers = ["ない", "なかつ", "なく", "ません"];

    static bool IsNegative(string foldedRun) => NegationMarkers.Any(m => foldedRun.Contains(m, StringComparison.Ordinal));

    /// <summary>「(送料)はおいくらですか」 → は (function) | お (function) | いくら | ですか (function).</summary>
    static void AddHiragana(string text, int start, int length, bool afterWord, ImmutableArray<Term>.Builder terms, bool[] boundary)
    {
        var run = KanaFolding.Fold(text.Substring(start, length));
        if (Particles.Contains(run))
        {
            AddTerm(text, start, length, Script.Hiragana, isFunction: true, terms);
            return;
        }
        if (afterWord && LeadingParticles.FirstOrDefault(p => (run.Length > p.Length + 1 || (p == ObjectParticle && run.Length > 1)) && run.StartsWith(p, StringComparison.Ordinal)) is { } particle)
        {
            AddTerm(text, start, particle.Length, Script.Hiragana, isFunction: true, terms);
            boundary[start + particle.Length] = true;
            AddHiragana(text, start + particle.Length, length - particle.Length, afterWord: false, terms, boundary);
            return;
        }
        var contentStart = 0;
        if (run.Length >= 3 && run[0] is 'お' or 'ご')
        {
            AddTerm(text, start, 1, Script.Hiragana, isFunction: true, terms);
            boundary[start + 1] = true;
            contentStart = 1;
        }
        // Strip endings from the back, longest first, keeping at least one character of content.
        var contentEnd = run.Length;
        var endings = new Stack<(int Start, int Length)>();
        while (contentEnd - contentStart > 1)
        {
            var stripped = 0;
            for (var n = Math.Min(LongestEnding, contentEnd - contentStart - 1); n >= 1; n--)
                if (Endings.Contains(run.Substring(contentEnd - n, n)))
                {
                    stripped = n;
                    break;
                }
            if (stripped == 0 && AuxiliaryChain(run, contentStart, contentEnd) is var auxiliary && auxiliary > 0)
            {
                // The particle before the auxiliary is a function word of its own: いつごろ|に|なり.
                endings.Push((contentEnd - auxiliary, auxiliary));
                boundary[start + contentEnd - auxiliary] = true;
                stripped = 1;
                contentEnd -= auxiliary;
            }
            if (stripped == 0) break;
            contentEnd -= stripped;
            endings.Push((contentEnd, stripped));
            boundary[start + contentEnd] = true;
        }
        var contentLength = contentEnd - contentStart;
        AddTerm(text, start + contentStart, contentLength, Script.Hiragana, isFunction: contentLength == 1, terms);
        while (endings.Count > 0)
        {
            var (s, n) = endings.Pop();
            AddTerm(text, start + s, n, Script.Hiragana, isFunction: true, terms);
        }
    }

    /// <summary>
    /// The length of the <see cref="AuxiliaryList"/> verb that ends <c>run[contentStart..contentEnd)</c> after one of the
    /// <see cref="ChainParticles"/>, leaving at least two characters of content before the particle; 0 when there is none.
    /// </summary>
    static int AuxiliaryChain(string run, int contentStart, int contentEnd)
    {
        foreach (var auxiliary in Auxiliaries)
        {
            var particle = contentEnd - auxiliary.Length - 1;
            if (particle - contentStart >= 2 && run.AsSpan(particle + 1, auxiliary.Length).SequenceEqual(auxiliary)
                && ChainParticles.Contains(run[particle], StringComparison.Ordinal))
                return auxiliary.Length;
        }
        return 0;
    }

    static void AddTerm(string text, int start, int length, Script script, bool isFunction, ImmutableArray<Term>.Builder terms)
    {
        var folded = KanaFolding.Fold(text.Substring(start, length)).Replace("ー", "", StringComparison.Ordinal);
        if (folded.Length > 0) terms.Add(new Term(start, length, script, folded, isFunction));
    }
}
