using System.Collections.Frozen;
using System.Collections.Immutable;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// How much of a message the scenario knows, and whether that is too little for any intent to be meant
/// (docs/engine.md "Out of scope"). A message such as "hello world program in python" or 「在庫管理の仕事を探しています」
/// shares one word with an intent (a pattern or keyword fires, or the examples score it) while the rest of
/// it is about something the scenario never mentions; starting that intent's flow is worse for the customer
/// than the fallback, which asks again. Each content word (not a function word, not a number) weighs its idf,
/// so a word many intents share counts little, and the word the deciding pattern or keyword matched counts
/// as the most distinctive. A word is known when an example has it, when the typo corrector reads it as an
/// example word, as far as the deciding pattern or keyword covers it, or, for a Japanese word, as far as
/// examples have its character bigrams (「放送時間」 is a third known through 「時間」). A generic word no example
/// has (how, get, today, 今日) and an unknown hiragana run (an inflection: 「きできる」) are left out. The message is out of scope when at least
/// <see cref="MinimumUnknownWords"/> content words are unknown and carry more than <see cref="Limit"/> of the weight.
/// A scenario without examples is never judged (its patterns and keywords are all it knows).
/// </summary>
internal sealed class ScopeTest
{
    /// <summary>One unknown word beside a known one ("return these shoes", "return of the jedi") cannot be told apart: left to the intent.</summary>
    public const int MinimumUnknownWords = 2;

    /// <summary>
    /// The unknown share above which a message is out of scope: three quarters, so a real paraphrase that brings
    /// two new words to one known one ("send back a broken blender for a refund") stays in. Measured on the
    /// samples' dev and held-out sets (docs/performance.md "Session 5: wrong intents").
    /// </summary>
    public const double Limit = 0.75;

    /// <summary>
    /// Words that say nothing about the topic (question words, light verbs, time and degree words), as the
    /// segmenter stems them: when no example has one it is left out instead of counting as unknown, so "how
    /// long until my delivery gets here" is judged by "long" and "delivery", not by "how", "get" and "here".
    /// </summary>
    static readonly FrozenSet<string> GenericWords = new[]
    {
        "how", "what", "when", "where", "who", "why", "which", "whats", "wheres", "hows", "whos", "whens", "whys",
        "get", "got", "tell", "know", "go", "come", "make", "take", "see", "look", "say", "ask", "try", "let", "lemme", "gonna",
        "send", "give", "put", "bring", "keep", "use", "find", "back",
        "out", "up", "off", "about", "still", "yet", "already", "again", "ever", "never", "soon", "later", "now", "then",
        "today", "tomorrow", "yesterday", "tonight", "day", "week", "month", "year", "time", "last", "next", "ago",
        "until", "since", "long", "also", "too", "much", "many", "lot", "thing", "something", "anything", "one", "well", "ok", "okay",
        "different", "same", "other", "new", "than", "rather", "would", "could",
        "月", "日", "年", "時", "分", "週", "曜日", "今日", "明日", "昨日", "今", "まだ", "もう", "いつ", "どこ", "何", "なに", "なん", "どう", "どれ", "ちよつと", "少", "すぐ", "私", "自分",
    }.Select(w => KanaFolding.Fold(EnglishWords.Stem(w))).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The word keys and (non-Latin) character bigram keys of every example.</summary>
    readonly FrozenSet<ulong> _known;
    readonly FeatureWeights _weights;
    readonly TypoCorrector _typos;

    readonly bool _readRomaji;

    /// <param name="readRomaji">Whether the scenario is Japanese: then a romaji word is judged as the kana it reads as, as the recogniser reads it.</param>
    public ScopeTest(IEnumerable<SegmentedText> examples, FeatureWeights weights, TypoCorrector typos, bool readRomaji)
    {
        _readRomaji = readRomaji;
        _known = examples.SelectMany(Keys).ToFrozenSet();
        _weights = weights;
        _typos = typos;
    }

    /// <summary>
    /// The scope of a message; <paramref name="covered"/> is the span the deciding pattern or keyword matched (its words
    /// are known). The unknown words are listed only when <paramref name="listWords"/> (for <c>/explain</c>), so a turn allocates little.
    /// </summary>
    public ScopeAssessment Assess(SegmentedText text, TextSpan covered, ImmutableArray<LexiconMatch> lexicon, bool listWords)
    {
        // A scenario of patterns and keywords only has no examples to judge scope by.
        if (_known.Count == 0) return new ScopeAssessment(double.NaN, Limit, [], false);
        double total = 0, unknownWeight = 0;
        var unknownCount = 0;
        List<string>? unknown = null;
        for (var t = 0; t < text.Terms.Length; t++)
        {
            var term = text.Terms[t];
            var related = LexiconShare(lexicon, t);
            var romaji = _readRomaji ? JapaneseReading.ReadRomaji(text, term) : default;
            if (romaji.IsDefault) Judge(term, covered.Share(term), related, reading: false);
            else foreach (var kana in romaji) Judge(kana, covered.Share(term), related, reading: true);
        }
        var share = total == 0 ? double.NaN : unknownWeight / total;
        var words = unknown is null ? ImmutableArray<string>.Empty : [.. unknown];
        return new ScopeAssessment(share, Limit, words, unknownCount >= MinimumUnknownWords && share > Limit);

        // One term of the message, or of the kana a romaji word reads as (a reading's term is listed as its kana).
        void Judge(Term term, double coveredShare, double related, bool reading)
        {
            if (!IsContent(term)) return;
            // The word a pattern or keyword names is the intent's own by the designer's word: as distinctive as any.
            var weight = coveredShare > 0 ? _weights.Unseen : _weights[FeatureVector.WordKey(term.Text)];
            var known = _known.Contains(FeatureVector.WordKey(term.Text)) || _typos.Correct(text, term) is not null
                ? 1 : Math.Max(Math.Max(coveredShare, related), BigramShare(term));
            if (known == 0 && IsUninformative(term)) return;
            total += weight;
            unknownWeight += weight * (1 - known);
            if (known >= 0.5) return;
            unknownCount++;
            if (listWords) (unknown ??= []).Add(reading ? term.Text : text.Folded.Substring(term.Start, term.Length));
        }
    }

    /// <summary>
    /// An unknown word that says nothing about the topic: a generic word, or a Japanese hiragana run — mostly an
    /// inflection or particles the segmenter did not split off (「きできる」「ねがいし」「いつになり」 on the retail
    /// sample's dev and held-out sets); Japanese topic words are written in kanji and katakana.
    /// </summary>
    static bool IsUninformative(Term term) => term.Script == Script.Hiragana || GenericWords.Contains(term.Text);

    /// <summary>
    /// How much of term <paramref name="index"/> the built-in lexicon relates to the examples' words: its entries come only from
    /// groups the examples use, so a word in one ("arrived" beside examples saying "delivered") is known; a compound's piece, in part.
    /// </summary>
    static double LexiconShare(ImmutableArray<LexiconMatch> lexicon, int index)
    {
        if (lexicon.IsDefaultOrEmpty) return 0;
        double share = 0;
        foreach (var m in lexicon)
            if (m.Includes(index)) share += m.Covered;
        return Math.Min(1, share);
    }

    static bool IsContent(Term term) => !term.IsFunction && term.Script is not (Script.Digit or Script.Other);

    /// <summary>A Japanese word no example has is known as far as its character bigrams are (English bigrams are too common to say anything).</summary>
    double BigramShare(Term term)
    {
        var word = term.Text;
        if (term.Script == Script.Latin || word.Length < 2) return 0;
        var known = 0;
        for (var i = 0; i + 1 < word.Length; i++)
            if (_known.Contains(FeatureVector.BigramKey(word[i], word[i + 1]))) known++;
        return (double)known / (word.Length - 1);
    }

    IEnumerable<ulong> Keys(SegmentedText text)
    {
        foreach (var term in text.Terms)
        {
            var romaji = _readRomaji ? JapaneseReading.ReadRomaji(text, term) : default;
            if (romaji.IsDefault)
                foreach (var key in Keys(term)) yield return key;
            else
                foreach (var kana in romaji)
                    foreach (var key in Keys(kana)) yield return key;
        }
    }

    static IEnumerable<ulong> Keys(Term term)
    {
        yield return FeatureVector.WordKey(term.Text);
        if (term.Script == Script.Latin) yield break;
        for (var i = 0; i + 1 < term.Text.Length; i++) yield return FeatureVector.BigramKey(term.Text[i], term.Text[i + 1]);
    }
}

/// <summary>A span of the folded input (start, length); <c>default</c> covers nothing.</summary>
internal readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>How much of <paramref name="term"/> this span covers (「交換」 covers half of 「交換留学」).</summary>
    public double Share(Term term) =>
        Math.Max(0, Math.Min(Start + Length, term.Start + term.Length) - Math.Max(Start, term.Start)) / (double)term.Length;
}
