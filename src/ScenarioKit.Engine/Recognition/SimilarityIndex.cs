using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// Every example vector and every intent centroid of a package in an inverted index (feature → the
/// examples and centroids that have it), built once at load. Scoring an input visits only the postings
/// of its own features, so recognition cost grows with how many examples share the input's words, not
/// with the size of the scenario (500 intents × 20 examples: docs/performance.md).
/// </summary>
internal sealed class SimilarityIndex
{
    readonly record struct Posting(int Target, float Weight);

    /// <summary>A feature's postings: the examples (and keywords) that have it, then the centroids; each in target order.</summary>
    readonly record struct Postings(Posting[] Examples, Posting[] Centroids);

    /// <summary>One lookup per input feature finds both lists.</summary>
    readonly FrozenDictionary<ulong, Postings> _postings;

    /// <summary>The targets that are keywords, cleared when calibration measures examples only.</summary>
    readonly int[] _keywords;

    /// <param name="counts">The raw feature counts of each intent's examples (<see cref="CompiledIntent.ExampleSegments"/>).</param>
    /// <param name="keywords">
    /// The raw feature counts of each intent's keywords (<see cref="CompiledIntent.KeywordSegments"/>), scored as its examples are but
    /// not among them: they weigh no feature, join no centroid and are not measured by <see cref="ScoreCalibration"/>, so the scale and
    /// the scores of a scenario's examples stay what they were.
    /// </param>
    public SimilarityIndex(CompiledIntent[] intents, FeatureVector[][] counts, FeatureVector[][]? keywords = null)
    {
        Weights = new FeatureWeights(counts);
        var examples = new Dictionary<ulong, List<Posting>>();
        var centroids = new Dictionary<ulong, List<Posting>>();
        var owner = new List<int>();
        var texts = new List<string>();
        var isKeyword = new List<bool>();
        var vectors = new List<FeatureVector>();
        var first = new int[intents.Length + 1];
        for (var i = 0; i < intents.Length; i++)
        {
            first[i] = owner.Count;
            var weighted = counts[i].Select(v => v.Weigh(Weights)).ToArray();
            for (var e = 0; e < weighted.Length; e++) AddTarget(weighted[e], intents[i].ExampleTexts[e], keyword: false);
            if (keywords is not null)
                for (var k = 0; k < keywords[i].Length; k++) AddTarget(keywords[i][k].Weigh(Weights), intents[i].KeywordTexts[k], keyword: true);
            if (weighted.Length > 0) Add(centroids, FeatureVector.Centroid(weighted), i);

            void AddTarget(FeatureVector vector, string text, bool keyword)
            {
                Add(examples, vector, owner.Count);
                owner.Add(i);
                texts.Add(text);
                isKeyword.Add(keyword);
                vectors.Add(vector.WithoutGroups());
            }
        }
        first[intents.Length] = owner.Count;
        _postings = examples.Keys.Union(centroids.Keys).ToFrozenDictionary(k => k,
            k => new Postings(examples.TryGetValue(k, out var e) ? [.. e] : [], centroids.TryGetValue(k, out var c) ? [.. c] : []));
        FirstExample = first;
        ExampleTexts = [.. texts];
        ExampleVectors = [.. vectors];
        Owner = [.. owner];
        IsKeyword = [.. isKeyword];
        _keywords = [.. Enumerable.Range(0, IsKeyword.Length).Where(e => IsKeyword[e])];
    }

    /// <summary>Whether target e is a keyword (<c>FirstExample</c>'s ranges hold an intent's examples, then its keywords).</summary>
    public bool[] IsKeyword { get; }

    /// <summary>How many examples (not keywords) intent <paramref name="intent"/> has.</summary>
    public int ExamplesOf(int intent)
    {
        var n = 0;
        for (var e = FirstExample[intent]; e < FirstExample[intent + 1]; e++)
            if (!IsKeyword[e]) n++;
        return n;
    }

    /// <summary>
    /// The weighted example vectors as inputs (for <see cref="ScoreCalibration"/>): without their lexicon groups, since a
    /// customer's text is read through the lexicon only for words no example has; and the intent each belongs to.
    /// </summary>
    public FeatureVector[] ExampleVectors { get; }
    public int[] Owner { get; }

    static void Add(Dictionary<ulong, List<Posting>> index, FeatureVector vector, int target)
    {
        for (var k = 0; k < vector.Keys.Length; k++)
        {
            if (!index.TryGetValue(vector.Keys[k], out var list)) index[vector.Keys[k]] = list = [];
            list.Add(new Posting(target, vector.Values[k]));
        }
    }

    public FeatureWeights Weights { get; }

    /// <summary>Intent i's examples, then its keywords, are <c>FirstExample[i] .. FirstExample[i + 1] - 1</c> (file order).</summary>
    public int[] FirstExample { get; }

    public string[] ExampleTexts { get; }

    public int ExampleCount => ExampleTexts.Length;

    /// <summary>
    /// Adds into the (zeroed) arrays the input's cosine with every example and every centroid: each of the input's features
    /// adds its share to the targets in its postings, in the order of the input's (sorted) keys.
    /// </summary>
    public void Score(FeatureVector input, float[] examples, float[] centroids)
    {
        var keys = input.Keys;
        var values = input.Values;
        for (var k = 0; k < keys.Length; k++)
        {
            if (!_postings.TryGetValue(keys[k], out var postings)) continue;
            Add(examples, postings.Examples, values[k]);
            Add(centroids, postings.Centroids, values[k]);
        }
    }

    /// <summary>
    /// The inner loop of recognition (issue 12: 40–50 thousand postings for a message of common words in 500 intents × 20
    /// examples). Every target was numbered below the array's length when the index was built, so the bounds check the
    /// indexer would make on each posting is left out.
    /// </summary>
    static void Add(float[] scores, Posting[] postings, float weight)
    {
        Debug.Assert(postings.Length == 0 || postings[^1].Target < scores.Length);
        ref var first = ref MemoryMarshal.GetArrayDataReference(scores);
        foreach (var p in postings) Unsafe.Add(ref first, p.Target) += weight * p.Weight;
    }

    /// <summary>
    /// The <paramref name="count"/> intents most similar to a weighted input, best first (ties: file order),
    /// each scored by the better of its best example's cosine and its centroid's cosine. Example is the
    /// index of the best example, or -1 when the centroid scored higher. <paramref name="exclude"/> leaves
    /// one example out (calibration's leave-one-out); <paramref name="examplesOnly"/> leaves the keywords out (calibration measures examples).
    /// Keeps only the top few, so a turn allocates little. Once the list is full, an intent is looked at only when its
    /// centroid or one of its examples beats the last entry, which a vector comparison over its examples tells.
    /// </summary>
    public (int Intent, double Score, int Example)[] RawScores(FeatureVector input, Func<int, bool>? eligible, int exclude, int count, bool examplesOnly = false)
    {
        var intents = FirstExample.Length - 1;
        var examples = ArrayPool<float>.Shared.Rent(ExampleCount);
        var centroids = ArrayPool<float>.Shared.Rent(intents);
        try
        {
            Array.Clear(examples, 0, ExampleCount);
            Array.Clear(centroids, 0, intents);
            Score(input, examples, centroids);
            // A left-out example or keyword scores nothing, as if it were not there.
            if (examplesOnly)
                foreach (var keyword in _keywords) examples[keyword] = 0;
            if (exclude >= 0)
            {
                examples[exclude] = 0;
                // Calibration leaves an example out; its intent's centroid still contains it, so skip the centroid then.
                centroids[Owner[exclude]] = 0;
            }
            var top = new (int Intent, double Score, int Example)[count];
            var found = 0;
            for (var i = 0; i < intents; i++)
            {
                var from = FirstExample[i];
                var scores = examples.AsSpan(from, FirstExample[i + 1] - from);
                if (scores.IsEmpty || eligible?.Invoke(i) == false) continue;
                // Entering the list takes more than its last score (strictly: on a tie the earlier intent stays ahead), or more than 0.
                var floor = found == count ? (float)top[count - 1].Score : 0f;
                var centroid = centroids[i];
                if (centroid <= floor && !AnyAbove(scores, floor)) continue;
                var best = -1;
                var bestScore = 0f;
                for (var e = 0; e < scores.Length; e++)
                    if (scores[e] > bestScore) (best, bestScore) = (from + e, scores[e]);
                var entry = centroid > bestScore ? (i, (double)centroid, -1) : (i, bestScore, best);
                var at = found;
                while (at > 0 && entry.Item2 > top[at - 1].Score) at--;
                Debug.Assert(at < count, "an intent that passed the floor enters the list");
                for (var j = Math.Min(found, count - 1); j > at; j--) top[j] = top[j - 1];
                top[at] = entry;
                found = Math.Min(found + 1, count);
            }
            return found == count ? top : top[..found];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(examples);
            ArrayPool<float>.Shared.Return(centroids);
        }
    }

    /// <summary>Whether any score is above <paramref name="floor"/>: a vector at a time, then the rest one by one.</summary>
    static bool AnyAbove(ReadOnlySpan<float> scores, float floor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<float>(floor);
            for (; i + Vector<float>.Count <= scores.Length; i += Vector<float>.Count)
                if (Vector.GreaterThanAny(new Vector<float>(scores[i..]), limit)) return true;
        }
        for (; i < scores.Length; i++)
            if (scores[i] > floor) return true;
        return false;
    }
}
