using ScenarioKit.Engine.Tests.Samples;
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

    // Interrupting intents known only by examples, and a low threshold: outside an ask, weak similarity is enough.
    static ScenarioModel WeakHandoff() => Scenario("ja-JP") with
    {
        Recognizer = new RecognizerSettings(0.2, 0.05, null),
        Fallback = M("よく分かりませんでした。"),
        Variables = [Var("order.number"), Var("contact.method"), Var("note")],
        Intents =
        [
            Intent("order_status", patterns: ["荷物"]),
            Intent("contact", patterns: ["連絡"]),
            Intent("feedback", patterns: ["ご意見"]),
            Intent("human", examples: ["ちょっと人と話したいです", "let me talk to someone", "オペレーターと話したい", "talk to a person"], interrupts: true),
        ],
        Flows =
        [
            Flow("order_status", "order_status",
                Ask("order_status/0", "order.number", "ご注文番号（8桁）を教えてください。", Expect(ExpectKind.Pattern, @"^\d{8}$"), "8桁の数字で入力してください。", 3),
                Say("order_status/1", "ご注文 ${order.number} を確認しました。")),
            Flow("contact", "contact",
                Ask("contact/0", "contact.method", "ご連絡方法をお選びください。",
                    Expect(ExpectKind.Choice, null, null, null, new Choice("電話", ["オペレーターと話したい", "phone"]), new Choice("メール", ["email"])),
                    "電話かメールでお選びください。", 3),
                Say("contact/1", "${contact.method}でご連絡します。")),
            Flow("feedback", "feedback",
                Ask("feedback/0", "note", "ご意見をどうぞ。"),
                Say("feedback/1", "ありがとうございました。")),
        ],
        Handoff = HandoffDef.Empty with { Queues = [Queue("support", "UTC")], Rules = [Rule("asked-for-human", "support", intent: "human", say: "担当者におつなぎします。")] },
    };

    [Theory]
    [InlineData("let me think")]
    [InlineData("ちょっと考えます")]
    public void Weak_similarity_does_not_interrupt_an_ask(string text)
    {
        var runtime = Load(WeakHandoff());
        // Outside an ask the same words do reach the interrupting intent: the evidence is there, only weak.
        var idle = new Chat(runtime);
        Assert.Equal(["<handoff>", "担当者におつなぎします。"], Chat.Texts(idle.User(text)));

        var chat = new Chat(runtime);
        chat.User("荷物が届かない");
        Assert.Equal(["8桁の数字で入力してください。"], chat.Reply(text));
        Assert.False(chat.State.WithAgent);
        Assert.Equal("order_status", chat.State.ActiveFlow);
    }

    [Theory]
    [InlineData("オペレーターと話したい")]
    [InlineData("talk to a person")]
    public void Strong_similarity_still_interrupts_an_ask(string text)
    {
        var chat = new Chat(Load(WeakHandoff()));
        chat.User("荷物が届かない");
        Assert.Equal(["<handoff>", "担当者におつなぎします。"], Chat.Texts(chat.User(text)));
        Assert.True(chat.State.WithAgent);
    }

    [Fact]
    public void Strong_similarity_interrupts_a_free_text_ask()
    {
        var chat = new Chat(Load(WeakHandoff()));
        chat.User("ご意見があります");
        Assert.Equal(["<handoff>", "担当者におつなぎします。"], Chat.Texts(chat.User("talk to a person")));
    }

    [Fact]
    public void A_valid_answer_wins_over_similarity_based_interruption()
    {
        var chat = new Chat(Load(WeakHandoff()));
        chat.User("連絡してほしい");
        // The choice synonym is also an example of the interrupting intent, word for word (similarity 1).
        Assert.Equal(["電話でご連絡します。"], chat.Reply("オペレーターと話したい"));
        Assert.False(chat.State.WithAgent);
    }

    [Theory]
    [InlineData("let me think", false)]
    [InlineData("ちょっと考えます", false)]
    [InlineData("オペレーターと話したい", true)]
    [InlineData("talk to a person", true)]
    public void Retail_sample_hands_off_mid_question_only_when_asked_for(string text, bool handsOff)
    {
        var chat = new Chat(ScenarioRuntime.Load(SampleScenarios.Compile("retail-support")));
        chat.User("注文した商品がどこにあるか知りたい");
        Assert.Equal("order_status", chat.State.ActiveFlow);
        chat.User(text);
        Assert.Equal(handsOff, chat.State.WithAgent);
        if (!handsOff) Assert.Equal("order_status", chat.State.ActiveFlow);
    }
}
