using System.Collections.Immutable;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Tests.Support;

/// <summary>Compiled models built by hand, for tests that must not depend on the compiler.</summary>
internal static class TestModels
{
    static readonly SourceSpan At = new("scenario.yaml", 1, 1, 1, 2);

    public static Template Text(string text) => new(text, [new TemplatePart(text, null)], At);

    public static Message Say(string text, params string[] suggestions) => new([Text(text)], [.. suggestions.Select(Text)], At);

    public static Expression Expr(string source) => new(source, At);

    /// <summary>
    /// A shop: browsing → cart → after_purchase, a dwell nudge that starts a flow, an order-status flow
    /// with every branching step kind, a flow reached only by goto, two handoff rules, out-of-hours and share.
    /// </summary>
    public static ScenarioModel Shop()
    {
        ImmutableArray<Step> orderSteps =
        [
            new AskStep("order_status/0", "order.number", Say("ご注文番号（8桁）を教えてください。"),
                new Expectation(ExpectKind.Pattern, "^[0-9]{8}$", [], null, null, At), Say("8桁の数字で入力してください。"), 3,
                [new HandoffStep("order_status/0/onFail/0", "support", "order number unreadable", null, [], At)], At),
            new CallStep("order_status/1", "lookupOrder", [new Argument("number", Text("${order.number}"))], "order.status",
                [new SayStep("order_status/1/onError/0", Say("ただいま確認できません。"), At)], At),
            new IfStep("order_status/2", Expr("order.status == null"),
                [new SayStep("order_status/2/then/0", Say("見つかりませんでした \"#1\" <b>"), At)],
                [new SayStep("order_status/2/else/0", Say("ご注文は「${order.status}」です。"), At),
                 new GotoStep("order_status/2/else/1", "after_purchase", null, At)], At),
            new GotoStep("order_status/3", null, "anything_else", At),
        ];
        ImmutableArray<Step> elseSteps =
        [
            new SetStep("anything_else/0", [new Assignment("cart.total", System.Text.Json.JsonDocument.Parse("0").RootElement, null, At)], At),
            new EndStep("anything_else/1", Say("ほかにご用件はありますか？", "はい", "いいえ"), At),
        ];
        ImmutableArray<Step> sizeSteps = [new SayStep("size_help/0", Say("サイズ表はこちらです。"), At)];

        return new ScenarioModel(
            LanguageVersion: 1,
            Id: "shop",
            Version: "1.2.3",
            Locale: "ja-JP",
            Description: null,
            Recognizer: RecognizerSettings.Default,
            Welcome: Say("こんにちは！", "注文状況", "担当者"),
            Fallback: Say("よく分かりませんでした。"),
            Variables:
            [
                new VariableDef("order.number", VariableType.String, [], null, VariableScope.Conversation, null, At),
                new VariableDef("order.status", VariableType.String, [], null, VariableScope.Conversation, null, At),
                new VariableDef("cart.total", VariableType.Number, [], null, VariableScope.Conversation, null, At),
            ],
            Intents:
            [
                new IntentDef("order_status", ["荷物が届かない"], ["注文.*(状況|どこ|届)"], [], DigitalFit.High, false, null, At),
                new IntentDef("human", ["担当者と話したい"], [], ["担当者"], DigitalFit.Low, true, null, At),
            ],
            Journey:
            [
                new StageDef("browsing", [], [new ProactiveRule("dwell-help", new EventTrigger("page_dwell", Expr("event.seconds >= 30"), At),
                    Say("サイズ選びでお困りですか？"), "size_help", new Cap(CapKind.OncePerConversation, null), At)], At),
                new StageDef("cart", [new EventTrigger("cart_updated", null, At)], [], At),
                new StageDef("after_purchase", [new EventTrigger("order_placed", null, At)], [], At),
            ],
            Flows:
            [
                new FlowDef("order_status", new FlowTrigger("order_status", null, At), orderSteps, null, At),
                new FlowDef("anything_else", null, elseSteps, null, At),
                new FlowDef("size_help", null, sizeSteps, null, At),
            ],
            Actions: [new ActionDef("lookupOrder", null, new ScriptAction(["number"], "return null;", At), At)],
            Handoff: new HandoffDef(
                [new QueueDef("support", "Mon-Fri 09:00-18:00", [new OpeningWindow(DayOfWeek.Monday, TimeSpan.FromHours(9), TimeSpan.FromHours(18))], "Asia/Tokyo", At)],
                [
                    new HandoffRule("asked-for-human", "human", null, "support", null, [], At),
                    new HandoffRule("misunderstood-twice", null, Expr("conversation.fallbackStreak >= 2"), "support", null, ["chat", "callback"], At),
                ],
                new OutOfHours(Say("ただいま営業時間外です。"), ["email"], At),
                [new SharedValue("order.number", "order.number", At), new SharedValue("total", "cart.total", At)],
                Say("担当者におつなぎします。"),
                At),
            SourceFiles: ["scenario.yaml"]);
    }
}
