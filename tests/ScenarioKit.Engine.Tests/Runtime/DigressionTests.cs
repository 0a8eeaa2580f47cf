using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Runtime;

public sealed class DigressionTests
{
    static ScenarioModel Shop() => Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした。"),
        Variables = [Var("order.number"), Var("answer")],
        Intents =
        [
            Intent("order_status", patterns: ["注文.*(状況|どこ|届)", "荷物"]),
            Intent("hours", patterns: ["営業時間"], interrupts: true),
            Intent("human", patterns: ["オペレーター|担当者"]),
            Intent("greeting", patterns: ["こんにちは"]),
        ],
        Flows =
        [
            Flow("order_status", "order_status",
                Ask("order_status/0", "order.number", "ご注文番号（8桁）を教えてください。", Expect(ExpectKind.Pattern, @"^\d{8}$"), "8桁の数字で入力してください。（残り${ask.retriesLeft}回）", 3),
                Say("order_status/1", "ご注文 ${order.number} を確認しました。")),
            Flow("hours", "hours", Say("hours/0", "営業時間は平日9時〜18時です。")),
            Flow("greeting", "greeting", Say("greeting/0", "こんにちは！")),
        ],
        Handoff = HandoffDef.Empty with { Queues = [Queue("support", "UTC")], Rules = [Rule("asked-for-human", "support", intent: "human", say: "担当者におつなぎします。")] },
    };

    [Fact]
    public void Interrupting_intent_runs_its_flow_then_the_ask_asks_again()
    {
        var chat = new Chat(Load(Shop()));
        chat.User("荷物が届かない");
        Assert.Equal(["営業時間は平日9時〜18時です。", "ご注文番号（8桁）を教えてください。"], chat.Reply("営業時間を教えて"));
        Assert.Equal("order_status", chat.State.ActiveFlow);
        Assert.Equal(["ご注文 12345678 を確認しました。"], chat.Reply("１２３４５６７８"));
        Assert.Null(chat.State.ActiveFlow);
    }

    [Fact]
    public void Non_interrupting_intent_is_just_an_invalid_answer()
    {
        var chat = new Chat(Load(Shop()));
        chat.User("荷物が届かない");
        Assert.Equal(["8桁の数字で入力してください。（残り2回）"], chat.Reply("こんにちは"));
    }

    [Fact]
    public void Handoff_intent_is_honoured_in_the_middle_of_an_ask()
    {
        var chat = new Chat(Load(Shop()));
        chat.User("荷物が届かない");
        var result = chat.User("担当者と話したい");
        Assert.Equal(["<handoff>", "担当者におつなぎします。"], Chat.Texts(result));
        Assert.True(chat.State.WithAgent);
        Assert.Null(chat.State.ActiveFlow);
    }

    [Fact]
    public void Retry_count_survives_a_digression()
    {
        var chat = new Chat(Load(Shop()));
        chat.User("荷物が届かない");
        Assert.Equal(["8桁の数字で入力してください。（残り2回）"], chat.Reply("abc"));
        chat.User("営業時間は？");
        Assert.Equal(["8桁の数字で入力してください。（残り1回）"], chat.Reply("def"));
    }
}
