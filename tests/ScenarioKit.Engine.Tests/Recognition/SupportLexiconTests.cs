using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>The built-in support lexicon (issue 12, docs/engine.md "Built-in lexicon"): its data, its lookup, and recognition through it.</summary>
public sealed class SupportLexiconTests
{
    static readonly SupportLexicon Lexicon = SupportLexicon.Shared;

    static SegmentedText Segment(string text) => TextSegmenter.Segment(MatchText.NormalizeAndFold(text));

    /// <summary>The groups found in <paramref name="text"/>, by their first entry, in text order.</summary>
    static List<string> Groups(string text)
    {
        var matches = new List<LexiconMatch>();
        Lexicon.Find(Segment(text), _ => true, matches);
        return [.. matches.Select(m => Lexicon.Groups[m.Group].Name)];
    }

    [Fact]
    public void Both_files_load_with_a_few_hundred_groups()
    {
        Assert.True(Lexicon.Groups.Length >= 550, $"{Lexicon.Groups.Length} groups");
        Assert.Contains(Lexicon.Groups, g => g.Name == "arrive");
        Assert.Contains(Lexicon.Groups, g => g.Name == "届");
    }

    [Fact]
    public void No_entry_is_in_two_groups()
    {
        // A word in two groups would join both: the data must stay narrow (the test lists every clash).
        var clashes = Lexicon.Entries.GroupBy(e => e.Key, StringComparer.Ordinal)
            .Where(g => g.Select(e => e.Group).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" / ", g.Select(e => Lexicon.Groups[e.Group].Name))}").ToList();
        Assert.True(clashes.Count == 0, string.Join("\n", clashes));
    }

    [Theory]
    [InlineData("my parcel hasn't arrived", "parcel", "arrive")]
    [InlineData("it never turned up", "arrive")]                       // a phrase, inflected
    [InlineData("I want my money back", "refund")]                    // a phrase across a stop word
    [InlineData("when will I be reimbursed", "refund")]
    [InlineData("the box was crushed", "packaging", "broken")]
    [InlineData("can I speak to a representative", "talk", "human")]
    [InlineData("my wifi keeps dropping", "internet", "no internet")] // "keeps dropping" is a symptom of a lost connection
    [InlineData("how do i send something back", "return")]          // a phrasal verb with its object between (session 7)
    [InlineData("can you call the shop back", "callback", "store")]  // the object is read for its own group too
    [InlineData("send the blender back", "return")]
    public void English_words_and_phrases_find_their_group(string text, params string[] groups) => Assert.Equal(groups, Groups(text));

    [Theory]
    [InlineData("荷物がまだ到着しない", "荷物", "届")]
    [InlineData("荷物が着いてない", "荷物", "届")]                    // a kanji stem with the kana that must follow it
    [InlineData("お金を返してほしい", "返金")]                          // a phrase over a particle
    [InlineData("払い戻しできますか", "返金")]                          // 「払い戻」 before 「払っ」: the longest entry wins
    [InlineData("オペレーターと話したい", "担当者", "話し")]
    [InlineData("ｵﾍﾟﾚｰﾀｰ", "担当者")]                                  // half-width katakana, read like the text
    [InlineData("ありがとうございます", "ありがとう")]                   // a hiragana entry at the start of a longer word
    [InlineData("在庫切れですか", "在庫")]
    public void Japanese_words_find_their_group(string text, params string[] groups) => Assert.Equal(groups, Groups(text));

    [Theory]
    [InlineData("服が着れない")]        // 着る (wear) is not 着く (arrive): 「着」 alone is no entry
    [InlineData("give me a call")]     // "call" is a call, not a callback
    [InlineData("人気の商品")]           // 「人気」 is a word of its own, not 「人」
    public void Near_misses_find_no_wrong_group(string text) =>
        Assert.DoesNotContain(Groups(text), g => g is "届" or "callback" or "担当者");

    [Fact]
    public void A_compound_is_read_as_the_entries_it_is_made_of() => Assert.Equal(["配送", "状況"], Groups("配送状況"));

    // End to end: scenarios whose examples never use the customer's word.
    static readonly ScenarioModel EnglishShop = Scenario("en-US") with
    {
        Fallback = M("sorry"),
        Intents =
        [
            Intent("order_status", examples: ["order not delivered", "where is my order", "track my order"]),
            Intent("refund", examples: ["I want a refund", "refund my payment"], patterns: ["reimburse"]),
            Intent("human", examples: ["talk to a person", "I need a human"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status", Say("o/0", "let me check")),
            Flow("refund", "refund", Say("r/0", "refunds")),
            Flow("human", "human", Say("h/0", "connecting")),
        ],
    };

    static readonly ScenarioModel JapaneseShop = Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("order_status", examples: ["注文した商品が届かない", "注文の状況を知りたい"]),
            Intent("refund", examples: ["返金してほしい", "返金はいつですか"], patterns: ["払い戻し"]),
            Intent("human", examples: ["オペレーターと話したい", "担当者につないで"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status", Say("o/0", "確認します")),
            Flow("refund", "refund", Say("r/0", "返金について")),
            Flow("human", "human", Say("h/0", "おつなぎします")),
        ],
    };

    [Theory]
    [InlineData("my parcel hasn't arrived yet", "order_status")]
    [InlineData("can I get my money back", "refund")]
    [InlineData("let me speak to an agent", "human")]
    public void English_customers_words_meet_the_examples_through_the_lexicon(string text, string intent)
    {
        Assert.Equal(intent, new Chat(Load(EnglishShop)).User(text).Trace.Intent);
        Assert.NotEqual(intent, new Chat(Load(Off(EnglishShop))).User(text).Trace.Intent);
    }

    [Theory]
    [InlineData("荷物がまだ到着しません", "order_status")]
    [InlineData("人間と喋りたい", "human")]
    [InlineData("お金を返してもらえますか", "refund")]
    public void Japanese_customers_words_meet_the_examples_through_the_lexicon(string text, string intent)
    {
        Assert.Equal(intent, new Chat(Load(JapaneseShop)).User(text).Trace.Intent);
        Assert.NotEqual(intent, new Chat(Load(Off(JapaneseShop))).User(text).Trace.Intent);
    }

    static ScenarioModel Off(ScenarioModel model) => model with { Recognizer = RecognizerSettings.Default with { Lexicon = false } };

    [Fact]
    public void Patterns_still_see_the_text_as_typed()
    {
        // The lexicon adds features; it never rewrites the text, so a pattern written for 「払い戻し」 still matches it.
        var explanation = Load(JapaneseShop).ExplainRecognition("払い戻しをお願いします");
        Assert.Equal(("refund", "pattern", "払い戻し"), (explanation.Intent, explanation.Top[0].Via, explanation.Top[0].Evidence));
        Assert.Contains("払い戻し", explanation.NormalizedInput, StringComparison.Ordinal);
        Assert.Equal("reimburse", Load(EnglishShop).ExplainRecognition("please reimburse me").Top[0].Evidence);
    }

    [Fact]
    public void Explain_lists_the_groups_found()
    {
        // Only words no example has are read through their group: "order" meets the examples as itself.
        Assert.Equal(["arrived≈arrive"], Load(EnglishShop).ExplainRecognition("my order hasn't arrived").LexiconMatched);
        Assert.Equal(["到着≈届"], Load(JapaneseShop).ExplainRecognition("まだ到着しない").LexiconMatched);
        Assert.Empty(Load(Off(JapaneseShop)).ExplainRecognition("まだ到着しない").LexiconMatched);
    }

    [Fact]
    public void Only_the_groups_the_examples_use_are_read()
    {
        // No example speaks of Wi-Fi: the group would bring the message nearer no intent, so it is not even listed.
        Assert.Empty(Load(EnglishShop).ExplainRecognition("my wifi is down").LexiconMatched);
    }

    [Fact]
    public void A_word_the_lexicon_relates_to_the_examples_is_known_to_the_scope_test()
    {
        // "arrived" is related to the examples' "delivered"; "parcel" is in no group the examples use.
        var scope = Load(EnglishShop).ExplainRecognition("my parcel hasn't arrived yet").Scope;
        Assert.NotNull(scope);
        Assert.Equal(["parcel"], scope.UnknownWords);
    }

    [Fact]
    public void The_vocabulary_wins_a_group_that_joins_two_of_its_terms_is_not_read()
    {
        // The designer keeps 配送 (shipping) and 到着 (arrival) apart; the lexicon would join 到着 with 届/配達.
        var model = JapaneseShop with
        {
            Vocabulary = [new VocabularyTerm("届く", ["到着"], SourceSpan.None), new VocabularyTerm("配達", ["宅配"], SourceSpan.None)],
        };
        Assert.DoesNotContain(Load(model).ExplainRecognition("配達はいつ").LexiconMatched, m => m.EndsWith("≈届", StringComparison.Ordinal));
        Assert.Contains("配達≈届", Load(JapaneseShop).ExplainRecognition("配達はいつ").LexiconMatched);
    }
}
