using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>Compounds read as the scenario's own words, romaji read as hiragana (issue 12, docs/engine.md "Recognition").</summary>
public sealed class JapaneseReadingTests
{
    static SegmentedText Segment(string text) => TextSegmenter.Segment(MatchText.NormalizeAndFold(text));

    static readonly JapaneseReading Reading = JapaneseReading.Build(
        new[] { "発送予定日を知りたい", "発送はまだですか", "有人対応をお願いします", "人に対応してもらいたい", "カード払いはできますか", "在庫の確認" }.Select(Segment));

    static List<string> Pieces(string word)
    {
        var pieces = new List<string>();
        foreach (var term in Segment(word).Terms) Reading.Pieces(term, pieces);
        return pieces;
    }

    [Fact]
    public void A_compound_is_also_read_as_the_known_words_it_is_made_of() => Assert.Equal(["有人", "対応"], Pieces("有人対応"));

    [Fact]
    public void What_is_left_of_a_known_compound_is_a_known_word_too() =>
        // 「発送予定日」 less 「発送」 leaves 「予定日」, which then turns up in a compound no example has.
        Assert.Equal(["予定日"], Pieces("到着予定日"));

    [Fact]
    public void Katakana_compounds_are_split_as_well() => Assert.Equal(["かど"], Pieces("クレジットカード")); // kana folded

    [Theory]
    [InlineData("発送")]                // a known word is not split into itself
    [InlineData("採用情報")]             // nothing known inside
    [InlineData("対応中", "対応")]        // pieces have two characters or more: 「中」 is left alone
    public void Only_known_parts_of_two_characters_or_more_are_added(string word, params string[] pieces) => Assert.Equal(pieces, Pieces(word));

    [Fact]
    public void Hiragana_and_latin_words_are_not_split() => Assert.Empty(Pieces("ざいこかくにん zaikokakunin"));

    [Theory]
    [InlineData("henpin dekimasu ka", new[] { "返品", "でき", "ます", "か" })]   // the kana spelling table reads へんぴん as 返品 (session 7)
    [InlineData("zaiko arimasu ka", new[] { "ざいこ", "あり", "ます", "か" })]
    public void Romaji_words_read_as_segmented_hiragana(string text, string[] expected)
    {
        var segmented = Segment(text);
        var read = segmented.Terms.SelectMany(t => JapaneseReading.ReadRomaji(segmented, t) is { IsDefault: false } kana ? kana.Select(k => k.Text) : [t.Text]);
        Assert.Equal(expected.Select(KanaFolding.Fold), read);
    }

    [Fact]
    public void An_english_word_is_not_read_as_romaji() =>
        Assert.True(JapaneseReading.ReadRomaji(Segment("return"), Segment("return").Terms[0]).IsDefault);

    // End to end: a Japanese scenario, customers typing romaji.
    static readonly ScenarioModel Shop = Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("order_status", examples: ["注文した商品はいつ届きますか", "発送予定日を知りたい", "chuumon joukyou wo shiritai"]),
            Intent("returns", examples: ["返品したいです", "返品できますか", "henpin shitai"]),
            Intent("stock_check", examples: ["在庫はありますか", "再入荷の予定はありますか", "売り切れですか"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status", Say("o/0", "配送状況を確認します")),
            Flow("returns", "returns", Say("r/0", "返品について")),
            Flow("stock_check", "stock_check", Say("s/0", "在庫について")),
        ],
    };

    [Theory]
    [InlineData("henpin dekimasu ka", "returns")]               // the romaji example and 「返品できますか」's 「でき」
    [InlineData("tyuumon wa itsu todokimasu ka", "order_status")] // Kunrei meets the Hepburn example, 「いつ」 the kana of another
    public void Romaji_meets_romaji_in_another_spelling_and_the_kana_of_the_examples(string text, string intent) =>
        Assert.Equal(intent, new Chat(Load(Shop)).User(text).Trace.Intent);

    [Fact]
    public void An_english_scenario_does_not_read_romaji()
    {
        var english = Scenario("en-US") with
        {
            Fallback = M("sorry"),
            Intents = [Intent("greet", examples: ["konnichiwa"]), Intent("other", examples: ["こんにちわ"])],
            Flows = [Flow("greet", "greet", Say("g/0", "hi")), Flow("other", "other", Say("x/0", "x"))],
        };
        Assert.Equal("greet", new Chat(Load(english)).User("konnichiwa").Trace.Intent);
    }
}
