using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Recognition;

public sealed class IntentRecognizerTests
{
    static readonly ScenarioModel Shop = Scenario("ja-JP") with
    {
        Recognizer = new RecognizerSettings(0.3, 0.05, null),
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("order_status", examples: ["注文した商品はいつ届きますか", "荷物が届かない", "where is my order", "配送状況を知りたい"], description: "注文の配送状況"),
            Intent("billing", examples: ["二重に請求されている", "請求額がおかしい", "I was charged twice"], description: "ご請求について"),
            Intent("human", keywords: ["オペレーター", "担当者"], examples: ["人と話したい", "talk to a person"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status", Say("o/0", "配送状況を確認します")),
            Flow("billing", "billing", Say("b/0", "ご請求について確認します")),
            Flow("human", "human", Say("h/0", "担当者におつなぎします")),
        ],
    };

    [Theory]
    [InlineData("荷物がまだ届かないんだけど", "order_status")]
    [InlineData("商品はいつ届きますか？", "order_status")]
    [InlineData("Where is my order?", "order_status")]
    [InlineData("WHERE IS MY ORDER", "order_status")]
    [InlineData("二重に請求されているようです", "billing")]
    [InlineData("i was charged twice!", "billing")]
    [InlineData("ｵﾍﾟﾚｰﾀｰをお願いします", "human")]
    [InlineData("担当者と話したい", "human")]
    public void Recognises_japanese_without_spaces_and_english(string text, string intent)
    {
        var result = new Chat(Load(Shop)).User(text);
        Assert.Equal(intent, result.Trace.Intent);
        Assert.False(result.Trace.Fallback);
    }

    [Fact]
    public void Keyword_match_has_confidence_0_9()
    {
        var result = new Chat(Load(Shop)).User("オペレーター");
        Assert.Equal(0.9, result.Trace.Confidence);
    }

    [Fact]
    public void Unrecognised_input_falls_back_and_counts_the_streak_recognised_resets_it()
    {
        var chat = new Chat(Load(Shop));
        Assert.Equal(["よく分かりませんでした"], chat.Reply("ほげほげ"));
        Assert.Equal(1, chat.State.FallbackStreak);
        Assert.True(chat.Last!.Trace.Fallback);
        chat.User("ふがふが");
        Assert.Equal(2, chat.State.FallbackStreak);
        chat.User("荷物が届かない");
        Assert.Equal(0, chat.State.FallbackStreak);
    }

    [Fact]
    public void Patterns_win_in_file_order_with_confidence_1()
    {
        var model = Scenario() with
        {
            Intents = [Intent("a", patterns: ["order"], examples: ["x y z"]), Intent("b", patterns: ["order status"])],
            Flows = [Flow("a", "a", Say("a/0", "A")), Flow("b", "b", Say("b/0", "B"))],
        };
        var result = new Chat(Load(model)).User("order status please");
        Assert.Equal("a", result.Trace.Intent);
        Assert.Equal(1, result.Trace.Confidence);
    }

    [Fact]
    public void Two_close_intents_ask_which_one_and_accept_the_choice_next_turn()
    {
        var model = Scenario() with
        {
            Recognizer = new RecognizerSettings(0.2, 0.2, M("Did you mean one of these?")),
            Intents =
            [
                Intent("cancel_order", examples: ["cancel my order"], description: "Cancel an order"),
                Intent("change_order", examples: ["change my order"], description: "Change an order"),
            ],
            Flows = [Flow("cancel", "cancel_order", Say("c/0", "Cancelling.")), Flow("change", "change_order", Say("ch/0", "Changing."))],
        };
        var chat = new Chat(Load(model));
        var clarify = chat.User("my order");
        var message = Assert.IsType<BotMessage>(Assert.Single(clarify.Outputs));
        Assert.Equal("Did you mean one of these?", message.Text);
        Assert.Equal(2, message.Suggestions.Length);
        Assert.Contains("Cancel an order", message.Suggestions);
        Assert.Contains("Change an order", message.Suggestions);
        Assert.True(message.ExpectingInput);
        Assert.Equal(["Changing."], chat.Reply("change an order"));
    }

    [Fact]
    public void Catastrophic_intent_pattern_is_matched_again_in_linear_time_without_an_error()
    {
        var model = Scenario() with
        {
            Intents = [Intent("evil", patterns: ["^(a+)+$"]), Intent("ok", patterns: ["b"])],
            Flows = [Flow("evil", "evil", Say("e/0", "evil")), Flow("ok", "ok", Say("o/0", "ok"))],
            Fallback = M("fallback"),
        };
        var runtime = Load(model, new RuntimeOptions { RegexTimeout = TimeSpan.FromMilliseconds(20) });
        var result = new Chat(runtime).User(new string('a', 40) + "!b");
        Assert.Empty(result.Trace.Errors);
        Assert.Equal("ok", result.Trace.Intent);
    }

    [Fact]
    public void Catastrophic_intent_pattern_the_linear_engine_cannot_run_times_out_and_is_reported()
    {
        var model = Scenario() with
        {
            Intents = [Intent("evil", patterns: [@"^(a+)+\1$"]), Intent("ok", patterns: ["b"])],
            Flows = [Flow("evil", "evil", Say("e/0", "evil")), Flow("ok", "ok", Say("o/0", "ok"))],
            Fallback = M("fallback"),
        };
        var runtime = Load(model, new RuntimeOptions { RegexTimeout = TimeSpan.FromMilliseconds(20) });
        var result = new Chat(runtime).User(new string('a', 40) + "!b");
        Assert.Contains(result.Trace.Errors, e => e.Message.Contains("timed out", StringComparison.Ordinal) && e.Span == model.Intents[0].Span);
        Assert.Equal("ok", result.Trace.Intent);
    }

    // Polite endings (「…もらえますか」「…ください」) recur across intents; the words that tell intents apart are few.
    static ScenarioModel Desk(bool withReceipt) => Scenario("ja-JP") with
    {
        Recognizer = new RecognizerSettings(0.5, 0.05, M("どちらのご用件でしょうか？")),
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("returns", examples: ["返品したいです", "返金してもらえますか", "返品の方法を教えてください"], description: "返品・交換"),
            Intent("callback_request", examples: ["折り返し電話してください", "あとで電話をもらえますか", "電話で連絡してほしい"], description: "折り返しの電話"),
            .. withReceipt ? [Intent("receipt", examples: ["領収書がほしい", "領収書を発行してください"], description: "領収書の発行")] : Array.Empty<IntentDef>(),
            Intent("hours", examples: ["営業時間を教えてください", "何時まで開いていますか"], description: "営業時間"),
            Intent("shipping_fee", examples: ["送料はいくらですか", "送料を無料にしてもらえますか"], description: "送料"),
        ],
        Flows =
        [
            Flow("returns", "returns", Say("r/0", "返品について")),
            Flow("callback_request", "callback_request", Say("c/0", "折り返しについて")),
            Flow("receipt", "receipt", Say("rc/0", "領収書について")),
            Flow("hours", "hours", Say("h/0", "営業時間について")),
            Flow("shipping_fee", "shipping_fee", Say("s/0", "送料について")),
        ],
    };

    [Fact]
    public void A_shared_ending_does_not_make_an_unknown_request_ambiguous()
    {
        // Unweighted, 「もらえますか」 made this 0.57 call-back against 0.52 returns: a clarify question about neither.
        var chat = new Chat(Load(Desk(withReceipt: false)));
        Assert.Equal(["よく分かりませんでした"], chat.Reply("領収書をもらえますか"));
    }

    [Fact]
    public void The_distinctive_word_decides_between_intents_sharing_an_ending()
    {
        // Unweighted, returns (0.61, via 「…してもらえますか」) beat receipt (0.56).
        var chat = new Chat(Load(Desk(withReceipt: true)));
        Assert.Equal(["領収書について"], chat.Reply("領収書を発行してもらえますか"));
    }

    [Fact]
    public void An_ending_shared_by_many_intents_alone_is_not_recognised()
    {
        var chat = new Chat(Load(Desk(withReceipt: true)));
        Assert.Equal(["よく分かりませんでした"], chat.Reply("もらえますか"));
    }

    [Fact]
    public void An_example_word_for_word_still_scores_1()
    {
        var chat = new Chat(Load(Desk(withReceipt: true)));
        var result = chat.User("送料を無料にしてもらえますか");
        Assert.Equal(1, result.Trace.Confidence, 6);
    }

    static readonly ScenarioModel Billing = Scenario("en-GB") with
    {
        Fallback = M("Sorry?"),
        Intents =
        [
            Intent("billing_question", patterns: [@"\bbill\b"], examples: ["explain my bill", "when is my bill due", "how much is my bill this month"]),
            Intent("billing_dispute", examples: ["there is a charge on my bill I do not recognise", "I was charged twice", "this charge is wrong"]),
            Intent("broadband", keywords: ["wifi"], examples: ["my internet is down", "no connection at home", "the router keeps dropping"]),
        ],
        Flows =
        [
            Flow("billing_question", "billing_question", Say("q/0", "question")),
            Flow("billing_dispute", "billing_dispute", Say("d/0", "dispute")),
            Flow("broadband", "broadband", Say("n/0", "broadband")),
        ],
    };

    [Theory]
    [InlineData("there's a charge on my bill I don't recognise", "billing_dispute", "example")]
    [InlineData("is my bill ready yet", "billing_question", "pattern")]
    [InlineData("bill", "billing_question", "pattern")]
    [InlineData("my wifi is down", "broadband", "keyword")]
    public void A_rule_gives_way_only_to_another_intents_example_the_message_nearly_repeats(string text, string intent, string via)
    {
        var runtime = Load(Billing);
        var result = new Chat(runtime).User(text);
        Assert.Equal(intent, result.Trace.Intent);
        Assert.Equal(via, runtime.ExplainRecognition(text).Top[0].Via);
    }
}
