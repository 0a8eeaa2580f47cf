using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>
/// <see cref="SimilarityIndex.RawScores"/> skips intents that cannot enter its top list (a vector comparison of their
/// examples against the last entry). Its answer must be the plain definition's, exactly: every eligible intent scored by the
/// better of its best example and its centroid, best first, ties in file order, for turns and for calibration's leave-one-out.
/// </summary>
public sealed class SimilarityIndexTests
{
    static readonly string[] SharedEnglish = ["please", "help", "with", "my", "order", "account"];
    static readonly string[] SharedJapanese = ["問題", "確認", "したい", "ですか", "お願いします", "について"];

    /// <summary>Intents with words of their own and shared ones, half of them Japanese, some with keywords; and messages made of those words.</summary>
    static (ImmutableIntentList Intents, List<string> Messages) Generate(int seed, int intents)
    {
        var random = new Random(seed);
        string Word(bool japanese) => japanese
            ? string.Concat(Enumerable.Range(0, 2).Select(_ => (char)(0x4E00 + random.Next(0, 300))))
            : string.Concat(Enumerable.Range(0, random.Next(3, 8)).Select(_ => (char)('a' + random.Next(0, 8))));
        var defs = new List<Model.IntentDef>();
        var messages = new List<string>();
        for (var i = 0; i < intents; i++)
        {
            var japanese = i % 2 == 1;
            var own = Enumerable.Range(0, 5).Select(_ => Word(japanese)).ToArray();
            var shared = japanese ? SharedJapanese : SharedEnglish;
            string Text() => string.Join(japanese ? "" : " ", Enumerable.Range(0, random.Next(2, 6))
                .Select(_ => random.Next(3) == 0 ? shared[random.Next(shared.Length)] : own[random.Next(own.Length)]));
            var examples = Enumerable.Range(0, random.Next(1, 12)).Select(_ => Text()).Distinct().ToArray();
            defs.Add(B.Intent($"intent_{i}", examples, keywords: i % 4 == 0 ? [own[0] + (japanese ? "" : " ") + own[1]] : null));
            messages.Add(Text());
            messages.Add(examples[0]);
            messages.Add(Word(japanese) + (japanese ? "" : " ") + shared[random.Next(shared.Length)]);
        }
        var errors = new List<RuntimeError>();
        var compiled = defs.Select((d, n) => new CompiledIntent(d, n, RuntimeOptions.Default, VocabularyRewriter.Empty, errors)).ToArray();
        Assert.Empty(errors);
        return (new ImmutableIntentList(compiled, VocabularyRewriter.Empty, japanese: true, SupportLexicon.Shared), messages);
    }

    /// <summary>The definition: every eligible intent's entry, sorted best first, ties in file order.</summary>
    static (int Intent, double Score, int Example)[] Plain(SimilarityIndex index, FeatureVector input, Func<int, bool>? eligible, int exclude, int count, bool examplesOnly)
    {
        var intents = index.FirstExample.Length - 1;
        var examples = new float[index.ExampleCount];
        var centroids = new float[intents];
        index.Score(input, examples, centroids);
        var entries = new List<(int Intent, double Score, int Example)>();
        for (var i = 0; i < intents; i++)
        {
            if (index.FirstExample[i] == index.FirstExample[i + 1] || eligible?.Invoke(i) == false) continue;
            var (best, bestScore) = (-1, 0f);
            for (var e = index.FirstExample[i]; e < index.FirstExample[i + 1]; e++)
                if (e != exclude && !(examplesOnly && index.IsKeyword[e]) && examples[e] > bestScore) (best, bestScore) = (e, examples[e]);
            var centroid = exclude >= 0 && index.Owner[exclude] == i ? 0 : centroids[i];
            var entry = centroid > bestScore ? (i, (double)centroid, -1) : (i, bestScore, best);
            if (entry.Item2 > 0) entries.Add(entry);
        }
        return [.. entries.OrderByDescending(e => e.Score).ThenBy(e => e.Intent).Take(count)];
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 200)]
    [InlineData(3, 7)]
    public void Top_intents_are_the_plain_definitions_for_messages(int seed, int intents)
    {
        var (list, messages) = Generate(seed, intents);
        var index = list.Index;
        var compared = 0;
        foreach (var message in messages)
        {
            var text = TextSegmenter.Segment(MatchText.NormalizeAndFold(message));
            var input = FeatureVector.Count(text, list.Typos, list.Japanese, list.Lexicon?.FindNew(text) ?? []).Weigh(index.Weights);
            foreach (var count in new[] { 1, 2, 3, 5 })
            {
                Assert.Equal(Plain(index, input, null, -1, count, false), index.RawScores(input, null, -1, count));
                Assert.Equal(Plain(index, input, i => i % 3 != 1, -1, count, false), index.RawScores(input, i => i % 3 != 1, -1, count));
                compared += 2;
            }
        }
        Assert.True(compared >= 7 * 3 * 8);
    }

    [Theory]
    [InlineData(4, 80)]
    [InlineData(5, 9)]
    public void Leaving_an_example_out_gives_the_plain_definitions_answer(int seed, int intents)
    {
        var (list, _) = Generate(seed, intents);
        var index = list.Index;
        for (var e = 0; e < index.ExampleCount; e++)
        {
            if (index.IsKeyword[e]) continue;
            var owner = index.Owner[e];
            var input = index.ExampleVectors[e];
            Assert.Equal(Plain(index, input, i => i == owner, e, 1, true), index.RawScores(input, i => i == owner, e, 1, examplesOnly: true));
            Assert.Equal(Plain(index, input, i => i != owner, e, 1, true), index.RawScores(input, i => i != owner, e, 1, examplesOnly: true));
            Assert.Equal(Plain(index, input, null, e, 3, false), index.RawScores(input, null, e, 3));
        }
    }

    [Fact]
    public void Ties_keep_file_order()
    {
        // Two intents with the same example score the same: the earlier one is ahead, as in the plain definition.
        var errors = new List<RuntimeError>();
        var defs = new[] { B.Intent("first", ["track my parcel"]), B.Intent("second", ["track my parcel"]), B.Intent("third", ["cancel my order"]) };
        var compiled = defs.Select((d, n) => new CompiledIntent(d, n, RuntimeOptions.Default, VocabularyRewriter.Empty, errors)).ToArray();
        var list = new ImmutableIntentList(compiled, VocabularyRewriter.Empty, japanese: false);
        var text = TextSegmenter.Segment(MatchText.NormalizeAndFold("track my parcel"));
        var input = FeatureVector.Count(text, list.Typos).Weigh(list.Index.Weights);
        var top = list.Index.RawScores(input, null, -1, 2);
        Assert.Equal([0, 1], top.Select(t => t.Intent));
        Assert.Equal(top[0].Score, top[1].Score);
    }
}
