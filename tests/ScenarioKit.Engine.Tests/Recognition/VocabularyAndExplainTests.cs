using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>Issue 12: keywords at word boundaries, vocabulary, calibrated similarity and <see cref="ScenarioRuntime.ExplainRecognition"/>.</summary>
public sealed class VocabularyAndExplainTests
{
    static readonly ScenarioModel Shop = Scenario("ja-JP") with
    {
        Recognizer = new RecognizerSettings(0.6, 0.05, null),
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("order_status", examples: ["注文した商品はいつ届きますか", "配送状況を知りたい", "荷物は今どこですか", "発送はまだですか"]),
            Intent("returns", examples: ["返品したいです", "返金してもらえますか", "商品を交換してほしい"], patterns: ["返品の?方法"]),
            Intent("shipping_fee", examples: ["送料について", "送料無料の条件", "配送料を知りたい"], keywords: ["いくら"]),
            Intent("cancel", examples: ["注文をキャンセルしたい", "キャンセルできますか", "キャンセルの手続き"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status", Say("o/0", "配送状況を確認します")),
            Flow("returns", "returns", Say("r/0", "返品について")),
            Flow("shipping_fee", "shipping_fee", Say("s/0", "送料について")),
            Flow("cancel", "cancel", Say("c/0", "キャンセルについて")),
        ],
    } with
    {
        Vocabulary =
        [
            new VocabularyTerm("配送", ["配達", "お届け"], Span()),
            new VocabularyTerm("返金", ["払い戻し"], Span()),
            new VocabularyTerm("キャンセル", ["取り消し", "取消"], Span()),
            new VocabularyTerm("方法", ["やり方"], Span()),
        ],
    };

    [Fact]
    public void Issue12_a_keyword_inside_another_word_does_not_fire()
    {
        var chat = new Chat(Load(Shop));
        Assert.Equal(["よく分かりませんでした"], chat.Reply("信じられないくらい寒いですね"));
        Assert.Equal(["送料について"], chat.Reply("おいくらですか"));
    }

    [Theory]
    [InlineData("お届け状況を知りたい", "order_status")]
    [InlineData("払い戻ししてもらえますか", "returns")]
    [InlineData("注文を取り消したい", "cancel")]
    [InlineData("返品のやり方", "returns")]
    public void Vocabulary_applies_to_customer_text_before_recognition(string text, string intent) =>
        Assert.Equal(intent, new Chat(Load(Shop)).User(text).Trace.Intent);

    [Fact]
    public void Explain_names_the_keyword_and_the_threshold()
    {
        var e = Load(Shop).ExplainRecognition("送料っておいくら？");
        Assert.Equal("shipping_fee", e.Intent);
        Assert.Equal(0.9, e.Confidence);
        Assert.Equal(new IntentScore("shipping_fee", 0.9, "keyword", "いくら"), e.Top[0]);
        Assert.Equal(0.6, e.Threshold);
        Assert.Equal(0.05, e.AmbiguityMargin);
        Assert.False(e.Ambiguous);
    }

    [Fact]
    public void Explain_shows_the_pattern_and_the_vocabulary_applied()
    {
        var e = Load(Shop).ExplainRecognition("返品のやり方を教えて");
        Assert.Equal("returns", e.Intent);
        Assert.Equal("pattern", e.Top[0].Via);
        Assert.Equal("返品の?方法", e.Top[0].Evidence);
        Assert.Equal(["やり方→方法"], e.VocabularyApplied);
        Assert.Equal("返品の方法を教えて", e.NormalizedInput);
    }

    [Fact]
    public void Explain_lists_the_best_three_even_below_the_threshold()
    {
        var e = Load(Shop).ExplainRecognition("宇宙の話をしよう");
        Assert.Null(e.Intent);
        Assert.InRange(e.Top.Length, 0, 3);
        Assert.All(e.Top, s => Assert.True(s.Score < e.Threshold));
        Assert.Equal(e.Top.OrderByDescending(s => s.Score).Select(s => s.Score), e.Top.Select(s => s.Score));
    }

    [Theory]
    [InlineData("注文した商品がいつ届くか知りたい")]
    [InlineData("配達状況はどうなっていますか")]
    [InlineData("キャンセルの手続きをお願いします")]
    [InlineData("ほげほげ")]
    [InlineData("返金できますか")]
    public void Explain_makes_the_same_decision_as_a_turn(string text)
    {
        var runtime = Load(Shop);
        var turn = new Chat(runtime).User(text);
        var e = runtime.ExplainRecognition(text);
        Assert.Equal(turn.Trace.Intent, e.Intent);
        if (e.Intent is not null)
        {
            Assert.Equal(turn.Trace.Confidence, e.Confidence, 6);
            Assert.Equal(e.Intent, e.Top[0].Intent);
            Assert.Contains(e.Top[0].Via, new[] { "pattern", "keyword", "example", "centroid" });
        }
    }

    [Fact]
    public void An_example_word_for_word_names_itself_as_evidence()
    {
        var e = Load(Shop).ExplainRecognition("配送料を知りたい");
        Assert.Equal("shipping_fee", e.Intent);
        Assert.Equal(new IntentScore("shipping_fee", 1, "example", "配送料を知りたい"), e.Top[0] with { Score = Math.Round(e.Top[0].Score, 6) });
    }
}
