using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Tests.Samples;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>
/// Issue 12, session 7 (docs/engine.md "Rules and examples", "Keywords in similarity"): keywords count as text for similarity,
/// a rule that gives way to a nearly repeated example says so, and <c>rulesDecide: true</c> keeps a designer's rule deciding.
/// </summary>
public sealed class RulesAndKeywordsTests
{
    static readonly ScenarioRuntime Retail = ScenarioRuntime.Load(SampleScenarios.Compile("retail-support"));

    static ScenarioModel Billing(bool rulesDecide) => Scenario("en-GB") with
    {
        Fallback = M("Sorry?"),
        Intents =
        [
            Intent("billing_question", patterns: [@"\bbill\b"], examples: ["explain my bill", "when is my bill due", "how much is my bill this month"])
                with { RulesDecide = rulesDecide },
            Intent("billing_dispute", examples: ["there is a charge on my bill I do not recognise", "I was charged twice", "this charge is wrong"]),
            Intent("broadband", keywords: ["wifi", "fibre outage"], examples: ["my internet is down", "no connection at home", "the router keeps dropping"]),
        ],
        Flows =
        [
            Flow("billing_question", "billing_question", Say("q/0", "question")),
            Flow("billing_dispute", "billing_dispute", Say("d/0", "dispute")),
            Flow("broadband", "broadband", Say("n/0", "broadband")),
        ],
    };

    static ScenarioModel Payments => Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("payment_methods", keywords: ["クレジットカード払い", "コンビニ払い"], examples: ["支払い方法を教えて", "代引きはできますか", "後払いはありますか"]),
            Intent("billing_dispute", examples: ["クレジットカードに2回請求が来ました", "請求額がおかしい", "二重に引き落とされた"]),
            Intent("order_status", examples: ["注文した商品はいつ届きますか", "荷物が届かない", "発送はまだですか"]),
        ],
        Flows =
        [
            Flow("payment_methods", "payment_methods", Say("p/0", "お支払い方法です")),
            Flow("billing_dispute", "billing_dispute", Say("b/0", "ご請求について確認します")),
            Flow("order_status", "order_status", Say("o/0", "配送状況を確認します")),
        ],
    };

    [Theory]
    // The retail held-out line that billing_dispute's example took by its one word; payment_methods' keyword says it.
    [InlineData("クレジットカード使えますか", "payment_methods", IntentRecognizer.SimilarKeyword)]
    // Kana for the keyword souryou (送料 in romaji): no keyword matches. Since the kana spelling table reads そうりょう as
    // 送料 (session 7), an example of the intent says it too, and the example is the closer evidence.
    [InlineData("そうりょうっていくら", "shipping_fee", "example")]
    public void A_message_close_to_a_keyword_it_does_not_contain_goes_to_the_keywords_intent(string text, string intent, string via)
    {
        var turn = new Chat(Retail).User(text);
        Assert.Equal(intent, turn.Trace.Intent);
        var best = Retail.ExplainRecognition(text).Top[0];
        Assert.Equal(intent, best.Intent);
        Assert.Equal(via, best.Via);
    }

    [Fact]
    public void Keyword_text_is_scored_like_an_example_in_Japanese_and_English()
    {
        // With three examples an intent the keyword is close to and the one whose example has the word are too close to call: the
        // customer is asked which (the retail sample, with more examples, decides); without the keyword the example's intent takes it.
        var japanese = Load(Payments).ExplainRecognition("クレジットカード使えますか");
        Assert.Equal(("payment_methods", IntentRecognizer.SimilarKeyword), (japanese.Top[0].Intent, japanese.Top[0].Via));
        Assert.True(japanese.Ambiguous);
        var withoutKeyword = Load(Payments with { Intents = [Payments.Intents[0] with { Keywords = [] }, .. Payments.Intents[1..]] });
        Assert.Equal("billing_dispute", new Chat(withoutKeyword).User("クレジットカード使えますか").Trace.Intent);

        // "fibre outage" as a keyword needs the two words in that order; as text it meets them in any order.
        const string english = "is there an outage on the fibre";
        var best = Load(Billing(rulesDecide: false)).ExplainRecognition(english).Top[0];
        Assert.Equal(("broadband", IntentRecognizer.SimilarKeyword, "fibre outage"), (best.Intent, best.Via, best.Evidence));
    }

    [Fact]
    public void Keywords_change_no_example_score_and_no_calibration()
    {
        // The keyword targets weigh no feature and join no centroid: an example-only message scores the same with and without them.
        var with = Load(Payments).ExplainRecognition("発送はまだですか");
        var without = Load(Payments with { Intents = [Payments.Intents[0] with { Keywords = [] }, .. Payments.Intents[1..]] })
            .ExplainRecognition("発送はまだですか");
        Assert.Equal(without.Confidence, with.Confidence, 6);
        Assert.Equal(without.Intent, with.Intent);
    }

    [Fact]
    public void A_rule_that_gives_way_says_which_example_it_gave_way_to_in_English_and_Japanese()
    {
        const string text = "there's a charge on my bill I don't recognise";
        var explanation = Load(Billing(rulesDecide: false)).ExplainRecognition(text);
        Assert.Equal("billing_dispute", explanation.Intent);
        var gaveWay = Assert.IsType<RuleGaveWay>(explanation.RuleGaveWay);
        Assert.Equal(("billing_question", "pattern", @"\bbill\b"), (gaveWay.Rule.Intent, gaveWay.Rule.Via, gaveWay.Rule.Evidence));
        Assert.Equal(("billing_dispute", "example"), (gaveWay.Repeated.Intent, gaveWay.Repeated.Via));
        Assert.True(gaveWay.Repeated.Score >= IntentRecognizer.ExampleOverRule);
        Assert.Contains("nearly repeats an example of billing_dispute, \"there is a charge on my bill I do not recognise\"",
            ScopeText.English(gaveWay), StringComparison.Ordinal);
        Assert.Contains("billing_dispute の例文「there is a charge on my bill I do not recognise」", ScopeText.Japanese(gaveWay), StringComparison.Ordinal);
        // A rule that decides leaves no such line.
        Assert.Null(Load(Billing(rulesDecide: false)).ExplainRecognition("is my bill ready yet").RuleGaveWay);
    }

    [Theory]
    [InlineData("there's a charge on my bill I don't recognise")]
    [InlineData("is my bill ready yet")]
    public void RulesDecide_keeps_the_rule_deciding(string text)
    {
        var runtime = Load(Billing(rulesDecide: true));
        Assert.Equal("billing_question", new Chat(runtime).User(text).Trace.Intent);
        var explanation = runtime.ExplainRecognition(text);
        Assert.Equal("billing_question", explanation.Intent);
        Assert.Null(explanation.RuleGaveWay);
        Assert.Equal("pattern", explanation.Top[0].Via);
    }

    [Fact]
    public void RulesDecide_is_not_judged_out_of_scope()
    {
        // 「在庫」 of stock_check inside a job search: out of scope as a keyword hit, kept when the designer says the rule decides.
        const string text = "在庫管理の仕事を探しています";
        var package = SampleScenarios.Compile("retail-support");
        Assert.Null(new Chat(ScenarioRuntime.Load(package)).User(text).Trace.Intent);
        var forced = package with
        {
            Model = package.Model with { Intents = [.. package.Model.Intents.Select(i => i.Name == "stock_check" ? i with { RulesDecide = true } : i)] },
        };
        Assert.Equal("stock_check", new Chat(ScenarioRuntime.Load(forced)).User(text).Trace.Intent);
    }
}
