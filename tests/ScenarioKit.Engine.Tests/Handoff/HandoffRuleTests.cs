using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Handoff;

public sealed class HandoffRuleTests
{
    static ScenarioModel Shop() => Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした。"),
        Variables = [Var("cart.total", VariableType.Number, 0), Var("order.number"), Var("customer.segment", @default: "regular")],
        Journey = [Stage("browsing"), Stage("cart", [On("cart_updated")]), Stage("checkout", [On("checkout_started")])],
        Intents =
        [
            Intent("human", examples: ["オペレーターと話したい", "talk to a person", "人と話したい"]),
            Intent("billing_dispute", patterns: ["二重に請求"], fit: DigitalFit.Low),
        ],
        Handoff = new HandoffDef(
            [Queue("support", "Asia/Tokyo", Days(DayOfWeek.Monday, DayOfWeek.Friday, 9, 18)), Queue("sales", "Asia/Tokyo", Days(DayOfWeek.Monday, DayOfWeek.Sunday, 10, 20))],
            [
                Rule("asked-for-human", "support", intent: "human"),
                Rule("misunderstood-twice", "support", when: "conversation.fallbackStreak >= 2", say: "うまくお答えできず申し訳ありません。担当者におつなぎします。"),
                Rule("low-digital-fit", "support", when: "intent.digitalFit == 'low'"),
                Rule("big-cart-at-checkout", "sales", when: "stage == 'checkout' && cart.total >= 30000", offer: ["chat", "phone", "callback"]),
            ],
            new OutOfHours(M("ただいま営業時間外です。折り返しのお電話をご希望ですか？"), ["callback", "email"], Span()),
            [new SharedValue("order.number", "order.number", Span()), new SharedValue("cart.total", "cart.total", Span()), new SharedValue("customer.segment", "customer.segment", Span())],
            M("担当者におつなぎします。"),
            Span()),
    };

    static readonly DateTimeOffset TuesdayMorningTokyo = new(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(9));
    static readonly DateTimeOffset TuesdayNightTokyo = new(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(9));

    [Fact]
    public void Misunderstood_twice_hands_off_without_a_second_fallback_message()
    {
        var chat = new Chat(Load(Shop()), start: TuesdayMorningTokyo);
        Assert.Equal(["よく分かりませんでした。"], chat.Reply("ほげほげ"));
        var second = chat.User("ふがふが");
        Assert.Equal(["<handoff>", "うまくお答えできず申し訳ありません。担当者におつなぎします。"], Chat.Texts(second));
        Assert.Equal("misunderstood-twice", second.Handoff!.RuleId);
        Assert.Equal("support", second.Handoff.Queue);
        Assert.True(second.Handoff.WithinHours);
        Assert.Equal("misunderstood-twice", second.Trace.HandoffRule);
        Assert.Equal(["ほげほげ", "よく分かりませんでした。", "ふがふが"], second.Handoff.Transcript.Select(e => e.Text));
        Assert.Equal(0, chat.State.FallbackStreak);
    }

    [Fact]
    public void Intent_rule_uses_the_default_handoff_message_and_shares_values()
    {
        var chat = new Chat(Load(Shop()), start: TuesdayMorningTokyo);
        var result = chat.User("オペレーターと話したい");
        Assert.Equal(["<handoff>", "担当者におつなぎします。"], Chat.Texts(result));
        var value = result.Handoff!.ToEventValue();
        Assert.Equal(0, (int)value["cart.total"]!);
        Assert.Equal("regular", (string?)value["customer.segment"]);
        Assert.Null(value["order.number"]);
        Assert.True(value.ContainsKey("order.number"));
    }

    [Fact]
    public void Low_digital_fit_intent_goes_to_a_person()
    {
        var chat = new Chat(Load(Shop()), start: TuesdayMorningTokyo);
        var result = chat.User("二重に請求されています");
        Assert.Equal("low-digital-fit", result.Handoff!.RuleId);
        Assert.Equal("intent.digitalFit == 'low'", result.Handoff.Reason);
    }

    [Fact]
    public void Event_turn_can_trigger_a_rule_with_offer()
    {
        var chat = new Chat(Load(Shop() with
        {
            Flows = [EventFlow("cart", "cart_updated", null, Set("cart/0", "cart.total", "${event.total}"))],
        }), start: TuesdayMorningTokyo);
        chat.Event("cart_updated", """{ "total": 45000 }""");
        Assert.Null(chat.Last!.Handoff);
        var result = chat.Event("checkout_started");
        Assert.Equal("big-cart-at-checkout", result.Handoff!.RuleId);
        Assert.Equal(["chat", "phone", "callback"], result.Handoff.Offer);
        Assert.Equal("sales", result.Handoff.Queue);
    }

    [Fact]
    public void Condition_rule_does_not_fire_again_until_its_condition_was_false()
    {
        var chat = new Chat(Load(Shop() with
        {
            Flows = [EventFlow("cart", "cart_updated", null, Set("cart/0", "cart.total", "${event.total}"))],
        }), start: TuesdayMorningTokyo);
        chat.Event("cart_updated", """{ "total": 45000 }""");
        Assert.Equal("big-cart-at-checkout", chat.Event("checkout_started").Handoff?.RuleId);
        chat.Send(new HandoffStatusInput(HandoffStatusInput.Completed));
        // Back with the bot, still at checkout with a big cart: no second handoff on every turn.
        Assert.Null(chat.Event("page_dwell", """{ "seconds": 5 }""").Handoff);
        chat.State = ConversationState.Deserialize(chat.State.Serialize());
        Assert.Null(chat.Event("page_dwell", """{ "seconds": 6 }""").Handoff);
        // The condition becomes false (cart emptied), then true again: the rule fires again.
        chat.Event("cart_updated", """{ "total": 0 }""");
        chat.Event("cart_updated", """{ "total": 50000 }""");
        Assert.Equal("big-cart-at-checkout", chat.Event("checkout_started").Handoff?.RuleId);
    }

    [Fact]
    public void Out_of_hours_offers_callback_and_keeps_the_bot()
    {
        var chat = new Chat(Load(Shop()), start: TuesdayNightTokyo);
        var result = chat.User("オペレーターと話したい");
        var message = Assert.IsType<BotMessage>(Assert.Single(result.Outputs));
        Assert.Equal("ただいま営業時間外です。折り返しのお電話をご希望ですか？", message.Text);
        Assert.Equal(["callback", "email"], message.Suggestions);
        Assert.False(result.Handoff!.WithinHours);
        Assert.Equal(ImmutableArray.Create("callback", "email"), result.Handoff.Offer);
        Assert.False(chat.State.WithAgent);
    }

    [Fact]
    public void Failing_rule_condition_is_skipped_and_reported()
    {
        var model = Shop() with
        {
            Handoff = Shop().Handoff with { Rules = [Rule("broken", "support", when: "nothing.here > 1"), Rule("asked-for-human", "support", intent: "human")] },
        };
        var chat = new Chat(Load(model), start: TuesdayMorningTokyo);
        var result = chat.User("オペレーターと話したい");
        Assert.Equal("asked-for-human", result.Handoff!.RuleId);
        Assert.Contains(result.Trace.Errors, e => e.Span == model.Handoff.Rules[0].When!.Span);
    }

    [Fact]
    public void Handoff_step_in_a_flow()
    {
        var model = Shop() with
        {
            Intents = [.. Shop().Intents, Intent("refund", patterns: ["返金"])],
            Flows = [Flow("refund", "refund", Say("refund/0", "返金の件ですね。"), B.Handoff("refund/1", "support", "担当者に代わります。"))],
        };
        var chat = new Chat(Load(model), start: TuesdayMorningTokyo);
        var result = chat.User("返金してほしい");
        Assert.Equal(["返金の件ですね。", "<handoff>", "担当者に代わります。"], Chat.Texts(result));
        Assert.Equal("refund/1", result.Handoff!.RuleId);
        Assert.Equal(["返金してほしい", "返金の件ですね。"], result.Handoff.Transcript.Select(t => t.Text));
        _ = JsonValue.Create(0);
    }
}
