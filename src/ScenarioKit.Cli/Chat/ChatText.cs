using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine;

namespace ScenarioKit.Cli.Chat;

/// <summary>Texts shared by both chat views, so the terminal and a script say the same things.</summary>
internal static class ChatText
{
    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly string[] HelpLines =
    [
        "type a message, or the number of a suggested reply",
        "/event <name> [key=value …]   send a journey event, e.g. /event page_dwell seconds=35",
        "/state                        show the stage, the active flow and the variables",
        "/reset                        start a new conversation (user-scoped variables are kept)",
        "/handback                     the human agent hands the conversation back to the bot",
        "/say <text>                   send text as it is (e.g. a number that is also a choice)",
        "/help                         this list",
        "/quit                         leave (end of input does the same)",
    ];

    /// <summary>A runtime error with its YAML place as the user would open it (<c>scenarios/x/flows/a.yaml(12,5): …</c>).</summary>
    public static string Describe(RuntimeError error, string? displayRoot)
    {
        if (error.Span.Line <= 0 || string.IsNullOrEmpty(displayRoot))
            return error.ToString();
        var span = error.Span with { File = Commands.ScenarioCompilation.Join(displayRoot, error.Span.File) };
        return $"{span}: {error.Message}";
    }

    public static string Value(JsonNode? node) => node is null ? "null" : node.ToJsonString(Json);

    /// <summary>One line for a handoff: queue, rule, within or out of hours, offered channels, shared context.</summary>
    public static string Handoff(HandoffDecision decision)
    {
        var parts = new List<string>
        {
            $"queue {decision.Queue}",
            $"rule {decision.RuleId}",
            decision.WithinHours ? "within hours" : "OUT OF HOURS (no agent handoff)",
        };
        if (!decision.Offer.IsDefaultOrEmpty)
            parts.Add("offer " + string.Join(", ", decision.Offer));
        if (!decision.Shared.IsDefaultOrEmpty)
            parts.Add("shared " + string.Join(", ", decision.Shared.Select(kv => kv.Key + "=" + Value(kv.Value))));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"transcript {decision.Transcript.Length} messages"));
        return string.Join("; ", parts);
    }

    public static IEnumerable<(string Name, string Value)> StateFields(ConversationState state) =>
    [
        ("conversation", state.ConversationId),
        ("stage", state.Stage ?? "(no journey)"),
        ("active flow", state.ActiveFlow ?? "(none)"),
        ("waiting step", state.WaitingStep ?? "(none)"),
        ("turn", state.Turn.ToString(CultureInfo.InvariantCulture)),
        ("fallback streak", state.FallbackStreak.ToString(CultureInfo.InvariantCulture)),
        ("with agent", state.WithAgent ? "yes" : "no"),
    ];
}
