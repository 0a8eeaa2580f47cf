using System.Collections.Frozen;
using ScenarioKit.Engine.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// A sparse vector of character bigram and trigram counts of folded text, with punctuation removed
/// and word gaps kept as one space. Character n-grams need no word segmentation, so Japanese
/// without spaces and English are handled alike. Grams are packed into a <see cref="ulong"/>
/// (16 bits per UTF-16 unit plus the gram length), so building a vector allocates only its arrays.
/// </summary>
internal sealed class NGramVector
{
    readonly ulong[] _grams;   // sorted, distinct
    readonly float[] _counts;

    NGramVector(ulong[] grams, float[] counts)
    {
        _grams = grams;
        _counts = counts;
        double sum = 0;
        foreach (var c in counts) sum += c * c;
        Norm = Math.Sqrt(sum);
    }

    public double Norm { get; }
    public bool IsEmpty => _grams.Length == 0;

    public static NGramVector Create(string folded)
    {
        Span<char> buffer = folded.Length <= 512 ? stackalloc char[folded.Length + 2] : new char[folded.Length + 2];
        // Pad with spaces so the first and last letters of a word form grams of their own.
        var length = 0;
        buffer[length++] = ' ';
        foreach (var c in folded)
        {
            if (TextNormalizer.IsLetterOrDigit(c)) buffer[length++] = c;
            else if (buffer[length - 1] != ' ') buffer[length++] = ' ';
        }
        if (buffer[length - 1] != ' ') buffer[length++] = ' ';
        var text = buffer[..length];
        if (length < 3) return new NGramVector([], []);

        var grams = new ulong[(length - 1) + (length - 2)];
        var n = 0;
        for (var i = 0; i + 1 < length; i++)
        {
            if (text[i] == ' ' && text[i + 1] == ' ') continue;
            grams[n++] = (2UL << 48) | ((ulong)text[i] << 16) | text[i + 1];
        }
        for (var i = 0; i + 2 < length; i++)
            grams[n++] = (3UL << 48) | ((ulong)text[i] << 32) | ((ulong)text[i + 1] << 16) | text[i + 2];
        Array.Sort(grams, 0, n);
        var distinct = 0;
        var counts = new float[n];
        for (var i = 0; i < n; i++)
        {
            if (distinct > 0 && grams[distinct - 1] == grams[i]) counts[distinct - 1]++;
            else
            {
                grams[distinct] = grams[i];
                counts[distinct++] = 1;
            }
        }
        return new NGramVector(grams[..distinct], counts[..distinct]);
    }

    /// <summary>Each gram visited once: the key and its count.</summary>
    public void ForEachGram(Action<ulong> visit)
    {
        foreach (var g in _grams) visit(g);
    }

    /// <summary>This vector with every count multiplied by its gram's weight (counts stay sorted by gram).</summary>
    public NGramVector Weighted(GramWeights weights)
    {
        if (IsEmpty) return this;
        var counts = new float[_counts.Length];
        for (var i = 0; i < counts.Length; i++) counts[i] = _counts[i] * weights[_grams[i]];
        return new NGramVector(_grams, counts);
    }

    /// <summary>Cosine similarity in [0, 1].</summary>
    public double Cosine(NGramVector other)
    {
        if (Norm == 0 || other.Norm == 0) return 0;
        double dot = 0;
        int i = 0, j = 0;
        var a = _grams;
        var b = other._grams;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) dot += _counts[i++] * other._counts[j++];
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return dot / (Norm * other.Norm);
    }
}

/// <summary>
/// Inverse document frequency of grams across intents (each intent's examples are one document),
/// computed once per package: a gram that many intents share, such as a polite sentence ending
/// (「…ますか」「…ください」, "can you"), weighs little; a gram only one intent has weighs most.
/// Smoothed as idf(g) = ln((1 + N) / (1 + df(g))) + 1, so every gram keeps a positive weight. A gram
/// no example has (it only ever occurs in the input) weighs as much as the rarest: words the scenario
/// does not know (「領収書」 when no intent mentions receipts) keep the input far from every intent,
/// instead of letting a shared ending carry it over the threshold.
/// </summary>
internal sealed class GramWeights
{
    readonly FrozenDictionary<ulong, float> _weights;
    readonly float _unseen;

    public GramWeights(IEnumerable<IReadOnlyList<NGramVector>> documents)
    {
        var frequency = new Dictionary<ulong, int>();
        var n = 0;
        foreach (var document in documents)
        {
            if (document.Count == 0) continue;
            n++;
            var seen = new HashSet<ulong>();
            foreach (var vector in document) vector.ForEachGram(g => seen.Add(g));
            foreach (var g in seen) frequency[g] = frequency.GetValueOrDefault(g) + 1;
        }
        _unseen = Idf(n, 0);
        _weights = frequency.ToFrozenDictionary(kv => kv.Key, kv => Idf(n, kv.Value));
    }

    public float this[ulong gram] => _weights.TryGetValue(gram, out var w) ? w : _unseen;

    static float Idf(int documents, int frequency) => (float)(Math.Log((1.0 + documents) / (1.0 + frequency)) + 1.0);
}
