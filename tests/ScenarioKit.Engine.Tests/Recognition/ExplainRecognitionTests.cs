using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>ScenarioRuntime.ExplainRecognition (issue 12): the turn's decision, and why.</summary>
public sealed class ExplainRecognitionTests
{
    static readonly ScenarioModel Shop = Scenario("ja-JP") with
    {
        Recognizer = new RecognizerSettings(0.3, 0.05, null),
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("order_status", examples: ["注文した商品はいつ届きますか", "荷物が届かない", "where is my order"], patterns: ["注文番号.*確認"]),
            Intent("billing", examples: ["二重に請求されている", "請求額がおかしい", "I was charged twice"]),
            Intent("human", keywords: ["オペレーター"], examples: ["人と話したい", "talk to a person"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status", Say("o/0", "配送状況を確認します")),
            Flow("billing", "billing", Say("b/0", "ご請求について確認します")),
            Flow("human", "human", Say("h/0", "担当者におつなぎします")),
        ],
    };

    static readonly ScenarioRuntime Runtime = Load(Shop);

    [Theory]
    [InlineData("荷物がまだ届かないんだけど")]
    [InlineData("二重に請求されているようです")]
    [InlineData("オペレーターをお願い")]
    [InlineData("注文番号を確認したい")]
    [InlineData("今日の天気は")]
    [InlineData("")]
    public void Makes_the_same_decision_as_a_turn(string text)
    {
        var turn = new Chat(Runtime).User(text);
        var explanation = Runtime.ExplainRecognition(text);
        Assert.Equal(turn.Trace.Intent, explanation.Intent);
        if (explanation.Intent is not null)
        {
            Assert.Equal(turn.Trace.Confidence, explanation.Confidence, 6);
            Assert.Equal(explanation.Intent, explanation.Top[0].Intent);
        }
    }

    [Fact]
    public void Names_the_matched_example_keyword_and_pattern()
    {
        var byExample = Runtime.ExplainRecognition("荷物が届かないんです").Top[0];
        Assert.Equal(("order_status", "example", "荷物が届かない"), (byExample.Intent, byExample.Via, byExample.Evidence));

        var byKeyword = Runtime.ExplainRecognition("ｵﾍﾟﾚｰﾀｰ呼んで").Top[0];
        Assert.Equal(("human", "keyword", "オペレーター", 0.9), (byKeyword.Intent, byKeyword.Via, byKeyword.Evidence, byKeyword.Score));

        var byPattern = Runtime.ExplainRecognition("注文番号を確認したい").Top[0];
        Assert.Equal(("order_status", "pattern", "注文番号.*確認", 1.0), (byPattern.Intent, byPattern.Via, byPattern.Evidence, byPattern.Score));
    }

    [Fact]
    public void A_fallback_still_shows_the_nearest_intents_and_the_settings()
    {
        var explanation = Runtime.ExplainRecognition("請求書の宛名を変えたい　");
        Assert.Equal("請求書の宛名を変えたい", explanation.NormalizedInput);
        Assert.True(explanation.Top.Length is > 0 and <= 3);
        Assert.Equal("billing", explanation.Top[0].Intent);
        Assert.True(explanation.Top.Zip(explanation.Top.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal((0.3, 0.05), (explanation.Threshold, explanation.AmbiguityMargin));
        if (explanation.Intent is null) Assert.True(explanation.Top[0].Score < explanation.Threshold || explanation.Ambiguous || explanation.OutOfScope is { OutOfScope: true });
    }

    [Fact]
    public void Shows_the_misspellings_read_as_example_words_and_recognises_through_them()
    {
        var runtime = Load(Shop with
        {
            Intents = [.. Shop.Intents.Select(i => i.Name == "order_status" ? i with { Examples = [.. i.Examples, "my delivery is delayed"] } : i)],
        });
        var explanation = runtime.ExplainRecognition("my delivry is delayed");
        Assert.Equal(["delivry→delivery"], explanation.TyposCorrected);
        Assert.Equal("order_status", explanation.Intent);
        Assert.Empty(runtime.ExplainRecognition("my delivery is delayed").TyposCorrected);
    }
}
