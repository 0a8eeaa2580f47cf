using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Support;

/// <summary>The reference conversation (../shared/bench/REFERENCE.md, reference.js) as a compiled model built in C#.</summary>
internal static class ReferenceModel
{
    public const string Greeting = "Hi! I'm the support assistant. What can I help you with?";
    public const string AskOrderNumber = "Sure. Please type your 8-digit order number.";
    public const string GiveUp = "Sorry, I still couldn't read an order number.";
    public const string AnythingElse = "Anything else?";
    public const string HandoffText = "Connecting you to an agent";
    public const string Returns = "You can return any item within 30 days. Say 'Talk to a person' if you need help with a return.";
    public const string Fallback = "Sorry, I didn't get that. You can say 'Order status', 'Returns' or 'Talk to a person'.";

    public static string Retry(int n) => $"That doesn't look like an 8-digit order number. Please try again (retry {n} of 2).";

    public static ScenarioModel Build() => B.Scenario() with
    {
        Id = "reference-support",
        Fallback = M(Fallback),
        Variables = [Var("order.number"), Var("order.status"), Var("profile.lastOrderNumber", scope: VariableScope.User)],
        Intents =
        [
            Intent("handoff", patterns: [@"\b(human|agent|person|representative|operator)\b"]),
            Intent("order_status", patterns: [@"\b(order status|where('s| is)? my (order|package|parcel)|track (my )?order)\b"]),
            Intent("returns", patterns: [@"\b(returns?|refunds?)\b"]),
            Intent("greeting", patterns: [@"^\s*(hello|hi|hey|good (morning|afternoon|evening))\b"]),
        ],
        Flows =
        [
            Flow("greeting", "greeting", Say("greeting/0", Greeting, "Order status", "Returns", "Talk to a person")),
            Flow("order_status", "order_status",
                Ask("order_status/0", "order.number", AskOrderNumber, Expect(ExpectKind.Pattern, "^[0-9]{8}$"),
                    "That doesn't look like an 8-digit order number. Please try again (retry ${ask.attempt} of ${ask.maxRetries}).", 3,
                    Say("order_status/0/onFail/0", GiveUp)),
                Call("order_status/1", "orderTable", "order.status", [("number", "${order.number}")]),
                If("order_status/2", "order.status == null",
                    [Say("order_status/2/then/0", "I couldn't find order ${order.number}.")],
                    [Say("order_status/2/else/0", "Order ${order.number}: ${order.status}.")]),
                Say("order_status/3", AnythingElse),
                Set("order_status/4", "profile.lastOrderNumber", "${order.number}")),
            Flow("returns", "returns", Say("returns/0", Returns)),
        ],
        Actions =
        [
            Script("orderTable", ["number"], """
                const orders = {
                  "12345678": "shipped on 2 June, arriving 5 June",
                  "87654321": "being prepared for shipping",
                  "11112222": "delivered on 28 May",
                };
                return orders[number] ?? null;
                """),
        ],
        Handoff = HandoffDef.Empty with
        {
            Queues = [Queue("support", "UTC")],
            Rules = [Rule("asked-for-human", "support", intent: "handoff", say: HandoffText)],
            Share = [new SharedValue("orderNumber", "order.number", Span())],
        },
    };

    public static readonly string[] UserTurns = ["hello", "where is my order", "abc", "12345678", "talk to a human"];
}
