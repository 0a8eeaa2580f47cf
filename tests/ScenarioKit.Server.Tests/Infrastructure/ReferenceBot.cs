using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScenarioKit.Server.Bots;

namespace ScenarioKit.Server.Tests.Infrastructure;

/// <summary>
/// The reference conversation (/work/shared/bench/REFERENCE.md, tests/clients/reference.js) hand-written
/// against the server's bot seam, so the protocol layers are tested independently of the engine. Also
/// answers journey events (a Japanese proactive nudge on page_dwell ≥ 30 s) and handoff.status.
/// </summary>
internal sealed partial class ReferenceBot(string scenarioId = "reference-support", string version = "1.0.0", string greeting = ReferenceBot.Greeting) : IScenarioBot
{
    public const string Welcome = "Welcome! Say hello to start.";
    public const string Greeting = "Hi! I'm the support assistant. What can I help you with?";
    public const string AskOrder = "Sure. Please type your 8-digit order number.";
    public const string AnythingElse = "Anything else?";
    public const string Handoff = "Connecting you to an agent";
    public const string Fallback = "Sorry, I didn't get that. You can say 'Order status', 'Returns' or 'Talk to a person'.";
    public const string DwellNudge = "サイズ選びでお困りですか？";
    public static readonly ImmutableArray<string> Menu = ["Order status", "Returns", "Talk to a person"];
    static readonly Dictionary<string, string> Orders = new()
    {
        ["12345678"] = "shipped on 2 June, arriving 5 June",
        ["87654321"] = "being prepared for shipping",
    };

    public string ScenarioId { get; } = scenarioId;
    public string Version { get; } = version;
    public string Locale => "en-US";
    public int Turns;

    public byte[] Start(string conversationId, string userId) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["transcript"] = new JsonArray(), ["retries"] = 0, ["awaiting"] = false, ["agent"] = false, ["seen"] = new JsonArray() });

    public ValueTask<BotTurnResult> RunTurnAsync(byte[] state, BotInput input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Turns);
        var s = JsonNode.Parse(state)!.AsObject();
        var transcript = s["transcript"]!.AsArray();
        var outputs = ImmutableArray.CreateBuilder<BotOutput>();
        string? intent = null;
        var fallback = false;
        var duplicate = false;

        void Say(string text, ImmutableArray<string> suggestions = default, bool expecting = false)
        {
            outputs.Add(new BotTextOutput(text, suggestions.IsDefault ? [] : suggestions, expecting));
            transcript.Add(new JsonObject { ["role"] = "bot", ["text"] = text });
        }

        var activityId = input switch { BotMessageInput m => m.ActivityId, BotEventInput e => e.ActivityId, _ => null };
        var seen = s["seen"]!.AsArray();
        if (activityId is not null && seen.Any(n => n!.GetValue<string>() == activityId))
        {
            duplicate = true;
        }
        else
        {
            if (activityId is not null) seen.Add(activityId);
            var withAgent = s["agent"]!.GetValue<bool>();
            switch (input)
            {
                case BotConversationStartInput:
                    Say(Welcome);
                    break;
                case BotHandoffStatusInput status:
                    if (status.State is "completed" or "failed") s["agent"] = false;
                    if (status.State == "completed") Say("The agent has finished. Anything else?");
                    break;
                case BotEventInput { Name: "page_dwell" } e when !withAgent && e.Value.TryGetProperty("seconds", out var secs) && secs.ValueKind == JsonValueKind.Number && secs.GetDouble() >= 30:
                    Say(DwellNudge, ["サイズの相談", "在庫の確認"]);
                    break;
                case BotEventInput:
                    break;
                case BotMessageInput m when withAgent:
                    transcript.Add(new JsonObject { ["role"] = "user", ["text"] = m.Text });
                    break;
                case BotMessageInput m:
                    transcript.Add(new JsonObject { ["role"] = "user", ["text"] = m.Text });
                    var text = m.Text.Trim();
                    if (s["awaiting"]!.GetValue<bool>())
                    {
                        if (OrderNumber().IsMatch(text))
                        {
                            s["awaiting"] = false;
                            s["orderNumber"] = text;
                            Say(Orders.TryGetValue(text, out var status) ? $"Order {text}: {status}." : $"I couldn't find order {text}.");
                            Say(AnythingElse);
                        }
                        else
                        {
                            var retries = s["retries"]!.GetValue<int>() + 1;
                            s["retries"] = retries;
                            if (retries > 2)
                            {
                                s["awaiting"] = false;
                                Say("Sorry, I still couldn't read an order number.");
                            }
                            else
                            {
                                Say($"That doesn't look like an 8-digit order number. Please try again (retry {retries} of 2).", expecting: true);
                            }
                        }
                        break;
                    }
                    intent = HandoffIntent().IsMatch(text) ? "handoff" : OrderIntent().IsMatch(text) ? "order_status" : ReturnsIntent().IsMatch(text) ? "returns" : GreetingIntent().IsMatch(text) ? "greeting" : "none";
                    switch (intent)
                    {
                        case "greeting": Say(greeting, Menu); break;
                        case "order_status": s["awaiting"] = true; s["retries"] = 0; Say(AskOrder, expecting: true); break;
                        case "returns": Say("You can return any item within 30 days."); break;
                        case "handoff":
                            var value = new JsonObject { ["orderNumber"] = s["orderNumber"]?.DeepClone(), ["transcript"] = transcript.DeepClone() };
                            outputs.Add(new BotHandoffOutput(JsonSerializer.SerializeToElement(value), "support"));
                            s["agent"] = true;
                            Say(Handoff);
                            break;
                        default: fallback = true; Say(Fallback, Menu); break;
                    }
                    break;
            }
        }
        return ValueTask.FromResult(new BotTurnResult(JsonSerializer.SerializeToUtf8Bytes(s), outputs.ToImmutable(), new BotTurnInfo(intent, fallback, duplicate, s["agent"]!.GetValue<bool>())));
    }

    [GeneratedRegex("^[0-9]{8}$")]
    private static partial Regex OrderNumber();
    [GeneratedRegex(@"\b(human|agent|person|representative|operator)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HandoffIntent();
    [GeneratedRegex(@"\b(order status|where('s| is)? my (order|package|parcel)|track (my )?order)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OrderIntent();
    [GeneratedRegex(@"\b(returns?|refunds?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReturnsIntent();
    [GeneratedRegex(@"^\s*(hello|hi|hey|good (morning|afternoon|evening))\b", RegexOptions.IgnoreCase)]
    private static partial Regex GreetingIntent();
}
