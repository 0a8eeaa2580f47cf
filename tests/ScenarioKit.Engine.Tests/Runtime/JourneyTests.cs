using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Runtime;

public sealed class JourneyTests
{
    static ScenarioModel Shop(Cap dwellCap) => Scenario("ja-JP") with
    {
        Variables = [Var("cart.total", VariableType.Number, 0)],
        Journey =
        [
            Stage("browsing", [On("page_view", "event.path.startsWith('/products')")],
                Proactive("dwell-help", On("page_dwell", "event.seconds >= 30"), "サイズ選びでお困りですか？", dwellCap)),
            Stage("cart", [On("cart_updated")],
                Proactive("idle-cart", On("idle"), "カートの商品はまだ在庫があります。", Cap.None, flow: "coupon")),
            Stage("checkout", [On("checkout_started")]),
        ],
        Flows =
        [
            Flow("coupon", null, Say("coupon/0", "10%オフのクーポンをどうぞ。")),
            EventFlow("cart_total", "cart_updated", "event.total > 0", Set("cart_total/0", "cart.total", "${event.total}")),
        ],
    };

    [Fact]
    public void Events_move_stages_by_entersOn()
    {
        var chat = new Chat(Load(Shop(Cap.None)));
        Assert.Equal("browsing", chat.State.Stage);
        chat.Event("cart_updated", """{ "total": 1200 }""");
        Assert.Equal("cart", chat.State.Stage);
        Assert.Equal(1200, chat.State.Variables["cart.total"]!.GetValue<int>());
        chat.Event("page_view", """{ "path": "/help" }""");
        Assert.Equal("cart", chat.State.Stage);
        chat.Event("page_view", """{ "path": "/products/42" }""");
        Assert.Equal("browsing", chat.State.Stage);
        Assert.Equal("browsing", chat.Last!.Trace.Stage);
    }

    [Fact]
    public void Proactive_rule_fires_when_its_condition_holds()
    {
        var chat = new Chat(Load(Shop(Cap.None)));
        Assert.Empty(chat.Event("page_dwell", """{ "seconds": 10 }""").Outputs);
        var result = chat.Event("page_dwell", """{ "seconds": 35 }""");
        Assert.Equal(["サイズ選びでお困りですか？"], Chat.Texts(result));
        Assert.Equal(["dwell-help"], result.Trace.ProactiveFired);
    }

    [Fact]
    public void Once_per_conversation()
    {
        var chat = new Chat(Load(Shop(new Cap(CapKind.OncePerConversation, null))));
        Assert.Single(chat.Event("page_dwell", """{ "seconds": 35 }""").Outputs);
        Assert.Empty(chat.Event("page_dwell", """{ "seconds": 60 }""").Outputs);
        chat.Event("cart_updated");
        chat.Event("page_view", """{ "path": "/products/1" }""");
        Assert.Empty(chat.Event("page_dwell", """{ "seconds": 60 }""").Outputs);
    }

    [Fact]
    public void Once_per_stage_visit()
    {
        var chat = new Chat(Load(Shop(new Cap(CapKind.OncePerStage, null))));
        Assert.Single(chat.Event("page_dwell", """{ "seconds": 35 }""").Outputs);
        Assert.Empty(chat.Event("page_dwell", """{ "seconds": 60 }""").Outputs);
        chat.Event("cart_updated");
        chat.Event("page_view", """{ "path": "/products/1" }""");
        Assert.Single(chat.Event("page_dwell", """{ "seconds": 60 }""").Outputs);
    }

    [Fact]
    public void Cooldown_uses_the_injected_clock()
    {
        var chat = new Chat(Load(Shop(new Cap(CapKind.Cooldown, TimeSpan.FromMinutes(10)))));
        Assert.Single(chat.Event("page_dwell", """{ "seconds": 35 }""").Outputs);
        chat.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(chat.Event("page_dwell", """{ "seconds": 35 }""").Outputs);
        chat.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(chat.Event("page_dwell", """{ "seconds": 35 }""").Outputs);
    }

    [Fact]
    public void Caps_survive_state_serialisation()
    {
        var chat = new Chat(Load(Shop(new Cap(CapKind.OncePerConversation, null))));
        chat.Event("page_dwell", """{ "seconds": 35 }""");
        chat.State = ConversationState.Deserialize(chat.State.Serialize());
        Assert.Empty(chat.Event("page_dwell", """{ "seconds": 60 }""").Outputs);
    }

    [Fact]
    public void Proactive_rule_can_start_a_flow()
    {
        var chat = new Chat(Load(Shop(Cap.None)));
        chat.Event("cart_updated");
        var result = chat.Event("idle");
        Assert.Equal(["カートの商品はまだ在庫があります。", "10%オフのクーポンをどうぞ。"], Chat.Texts(result));
        Assert.Equal(["coupon"], result.Trace.FlowsStarted);
    }

    [Fact]
    public void With_an_agent_events_still_move_stages_but_the_bot_stays_quiet()
    {
        var model = Shop(Cap.None) with
        {
            Intents = [Intent("human", patterns: ["agent"])],
            Handoff = HandoffDef.Empty with { Queues = [Queue("support", "UTC")], Rules = [Rule("human", "support", intent: "human")] },
        };
        var chat = new Chat(Load(model));
        chat.User("agent please");
        Assert.True(chat.State.WithAgent);
        Assert.Empty(chat.Event("cart_updated", """{ "total": 5 }""").Outputs);
        Assert.Equal("cart", chat.State.Stage);
        Assert.Empty(chat.Event("idle").Outputs);
    }
}
