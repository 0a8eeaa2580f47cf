using System.Buffers;
using System.Collections.Frozen;
using System.Collections.Immutable;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// A sparse vector of what recognition compares (docs/engine.md "Similarity"): each segmented word as a
/// whole (so 「返品」 counts as a word, not only as characters) and its character bigrams and trigrams
/// (so 「届かない」 meets 「届きません」 and "intenet" meets "internet"). Function words (polite endings,
/// particles, English stop words) count <see cref="FunctionWeight"/> of a word. Keys are packed into a
/// <see cref="ulong"/>: grams hold their UTF-16 units and length, words a 60-bit FNV-1a hash tagged apart.
/// </summary>
internal sealed class FeatureVector
{
    /// <summary>How much a function word counts against a content word: enough to separate 「届きますか」 from 「届きましたか」, too little to carry a match.</summary>
    public const float FunctionWeight = 0.3f;

    /// <summary>
    /// How much a known word found inside a compound counts (「予定日」 in 「到着予定日」): half, since the compound as a whole
    /// and its grams are counted too (at full weight the pieces pulled 「黒のMサイズってまだ残ってる？」 into size selection).
    /// </summary>
    public const float PieceWeight = 0.5f;

    readonly ulong[] _keys;   // sorted, distinct
    readonly float[] _values;

    /// <summary>
    /// How much a built-in lexicon group counts (docs/engine.md "Built-in lexicon"): the group is a feature "arrived" and
    /// "delivered" share. A word counts as itself and its ~15 character grams; a group at weight w, outside the norm, adds
    /// w² where the same word would add ~15, so a synonym meets an example at about half the strength of the word itself
    /// (measured: 2 and 4 recognise fewer of the samples' dev and held-out paraphrases than 3; docs/performance.md).
    /// Only a customer's word no example has is read through its group (<see cref="LexiconReading"/>), so a word the
    /// examples share is not counted twice.
    /// </summary>
    public const float LexiconWeight = 3f;

    FeatureVector(ulong[] keys, float[] values)
    {
        _keys = keys;
        _values = values;
    }

    public static readonly FeatureVector Empty = new([], []);

    public bool IsEmpty => _keys.Length == 0;
    public ReadOnlySpan<ulong> Keys => _keys;
    public ReadOnlySpan<float> Values => _values;

    /// <summary>
    /// Raw feature counts of segmented text (a function word's features count <see cref="FunctionWeight"/>).
    /// With <paramref name="typos"/>, a misspelt English word counts as the word it was meant to be; its grams stay as typed.
    /// With <paramref name="japanese"/> (a Japanese scenario), a romaji word counts as its hiragana reading and a compound
    /// also as the scenario's words it is made of. Each <paramref name="lexicon"/> match adds its group (<see cref="LexiconWeight"/>).
    /// </summary>
    public static FeatureVector Count(SegmentedText text, TypoCorrector? typos = null, JapaneseReading? japanese = null,
        ImmutableArray<LexiconMatch> lexicon = default)
    {
        var words = new List<(string Text, string Key, float Weight)>(text.Terms.Length);
        List<string>? pieces = null;
        foreach (var term in text.Terms)
        {
            var romaji = japanese is null ? default : JapaneseReading.ReadRomaji(text, term);
            if (!romaji.IsDefault)
            {
                foreach (var kana in romaji) words.Add((kana.Text, kana.Text, kana.IsFunction ? FunctionWeight : 1f));
                continue;
            }
            var weight = term.IsFunction ? FunctionWeight : 1f;
            words.Add((term.Text, typos?.Correct(text, term) ?? term.Text, weight));
            if (japanese is null) continue;
            (pieces ??= []).Clear();
            japanese.Pieces(term, pieces);
            foreach (var piece in pieces) words.Add((piece, piece, weight * PieceWeight));
        }
        var groups = lexicon.IsDefault ? 0 : lexicon.Length;
        var size = groups;
        foreach (var word in words) size += 1 + 2 * (word.Text.Length + 1);
        if (size == 0) return Empty;
        // The features before merging (each word's grams, duplicates included) are scratch: pooled, not kept.
        var keys = ArrayPool<ulong>.Shared.Rent(size);
        var values = ArrayPool<float>.Shared.Rent(size);
        var n = 0;
        for (var g = 0; g < groups; g++)
        {
            keys[n] = GroupKey(lexicon[g].Group);
            values[n++] = LexiconWeight * (lexicon[g].IsPiece ? PieceWeight : 1f);
        }
        foreach (var (word, key, weight) in words)
        {
            keys[n] = WordKey(key);
            values[n++] = weight;
            // Grams of the word padded with spaces, so its first and last letters form grams of their own.
            var length = word.Length + 2;
            for (var i = 0; i + 1 < length; i++)
            {
                keys[n] = BigramKey(At(word, i), At(word, i + 1));
                values[n++] = weight;
            }
            for (var i = 0; i + 2 < length; i++)
            {
                keys[n] = (3UL << 48) | ((ulong)At(word, i) << 32) | ((ulong)At(word, i + 1) << 16) | At(word, i + 2);
                values[n++] = weight;
            }
        }
        var merged = Merge(keys, values, n);
        ArrayPool<ulong>.Shared.Return(keys);
        ArrayPool<float>.Shared.Return(values);
        return merged;
    }

    static char At(string word, int paddedIndex) => paddedIndex == 0 || paddedIndex == word.Length + 1 ? ' ' : word[paddedIndex - 1];

    internal static ulong BigramKey(char first, char second) => (2UL << 48) | ((ulong)first << 16) | second;

    /// <summary>A lexicon group's feature, tagged apart from words (4) and grams (top bits 0).</summary>
    internal static ulong GroupKey(int group) => (5UL << 60) | (uint)group;

    static bool IsGroup(ulong key) => key >> 60 == 5;

    internal static ulong WordKey(string word)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in word)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return (hash & 0x0FFF_FFFF_FFFF_FFFFUL) | (4UL << 60);
    }

    static FeatureVector Merge(ulong[] keys, float[] values, int n)
    {
        Array.Sort(keys, values, 0, n);
        var distinct = 0;
        for (var i = 0; i < n; i++)
        {
            if (distinct > 0 && keys[distinct - 1] == keys[i]) values[distinct - 1] += values[i];
            else
            {
                keys[distinct] = keys[i];
                values[distinct++] = values[i];
            }
        }
        return new FeatureVector(keys[..distinct], values[..distinct]);
    }

    /// <summary>
    /// TF-IDF with BM25's saturating term frequency, tf·(k+1)/(tf+k) with k = 1.2 (a repeated word adds less
    /// each time), times the feature's <see cref="FeatureWeights"/>, scaled to unit length so a dot product is a cosine.
    /// </summary>
    public FeatureVector Weigh(FeatureWeights weights)
    {
        if (IsEmpty) return this;
        const float k = 1.2f;
        var values = new float[_values.Length];
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var tf = _values[i];
            if (IsGroup(_keys[i]))
            {
                // A lexicon group stands for a whole word with its grams: not saturated like one feature, and outside the
                // norm, so the groups an example has change none of its scores against words it shares (see LexiconWeight).
                values[i] = tf * weights[_keys[i]];
                continue;
            }
            values[i] = tf * (k + 1) / (tf + k) * weights[_keys[i]];
            sum += values[i] * values[i];
        }
        var norm = (float)Math.Sqrt(sum);
        if (norm == 0) return Empty;
        for (var i = 0; i < values.Length; i++) values[i] /= norm;
        return new FeatureVector(_keys, values);
    }

    /// <summary>The mean of unit vectors, scaled to unit length: the intent as a whole (words spread over several examples meet in it).</summary>
    public static FeatureVector Centroid(IReadOnlyList<FeatureVector> vectors)
    {
        var sums = new SortedDictionary<ulong, double>();
        foreach (var v in vectors)
            for (var i = 0; i < v._keys.Length; i++)
                sums[v._keys[i]] = sums.GetValueOrDefault(v._keys[i]) + v._values[i];
        if (sums.Count == 0) return Empty;
        var norm = Math.Sqrt(sums.Where(kv => !IsGroup(kv.Key)).Sum(kv => kv.Value * kv.Value));
        if (norm == 0) return Empty;
        return new FeatureVector([.. sums.Keys], [.. sums.Values.Select(x => (float)(x / norm))]);
    }

    /// <summary>This vector without its lexicon groups (still of unit length: groups are outside the norm).</summary>
    public FeatureVector WithoutGroups()
    {
        var words = 0;
        while (words < _keys.Length && !IsGroup(_keys[words])) words++;
        return words == _keys.Length ? this : new FeatureVector(_keys[..words], _values[..words]);
    }

    /// <summary>Cosine of two weighted (unit) vectors, plus what their shared lexicon groups add.</summary>
    public double Dot(FeatureVector other)
    {
        double dot = 0;
        int i = 0, j = 0;
        while (i < _keys.Length && j < other._keys.Length)
        {
            if (_keys[i] == other._keys[j]) dot += _values[i++] * other._values[j++];
            else if (_keys[i] < other._keys[j]) i++;
            else j++;
        }
        return dot;
    }
}

/// <summary>
/// Inverse document frequency of features across intents (each intent's examples are one document),
/// computed once per package: a feature that many intents share, such as a polite ending
/// (「…ますか」「…ください」, "can you"), weighs little; one only one intent has weighs most.
/// Smoothed as idf(f) = ln((1 + N) / (1 + df(f))) + 1, so every feature keeps a positive weight. A feature
/// no example has (it only ever occurs in the input) weighs as much as the rarest: words the scenario
/// does not know (「領収書」 when no intent mentions receipts) keep the input far from every intent,
/// instead of letting a shared ending carry it over the threshold.
/// </summary>
internal sealed class FeatureWeights
{
    readonly FrozenDictionary<ulong, float> _weights;
    readonly float _unseen;

    public FeatureWeights(IEnumerable<IReadOnlyList<FeatureVector>> documents)
    {
        var frequency = new Dictionary<ulong, int>();
        var n = 0;
        var seen = new HashSet<ulong>();
        foreach (var document in documents)
        {
            if (document.Count == 0) continue;
            n++;
            seen.Clear();
            foreach (var vector in document)
                foreach (var key in vector.Keys) seen.Add(key);
            foreach (var key in seen) frequency[key] = frequency.GetValueOrDefault(key) + 1;
        }
        _unseen = Idf(n, 0);
        _weights = frequency.ToFrozenDictionary(kv => kv.Key, kv => Idf(n, kv.Value));
    }

    public float this[ulong key] => _weights.TryGetValue(key, out var w) ? w : _unseen;

    /// <summary>The weight of a feature no example has: the largest.</summary>
    public float Unseen => _unseen;

    static float Idf(int documents, int frequency) => (float)(Math.Log((1.0 + documents) / (1.0 + frequency)) + 1.0);
}
