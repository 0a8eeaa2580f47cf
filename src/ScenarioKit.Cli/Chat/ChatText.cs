using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine;
using ScenarioKit.Model;

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
        "/say <text>                   send text as it is (e.g. a number that is also a choice)",
        "/wait <duration>              move the clock forward, e.g. /wait 11m (cooldowns, hours, a queue's maxWait)",
        "/explain [text]               why the text (default: your last message) gets its intent: matched pattern,",
        "                              keyword or example, the top three scores, threshold and decision",
        "agent hub (simulated: position 1, about 2 min, --agents-online agents online):",
        "/accept                       an agent takes the waiting conversation",
        "/agent <text>                 the agent writes to the customer (accepting first if nobody has)",
        "/timeout                      nobody accepted in time: the customer gets handoff.onTimeout",
        "/handback [flow] [key=value …]  the agent returns the conversation to the bot, optionally into a flow",
        "                              with variables set (values typed as in /event; checked against the scenario)",
        "/help                         this list",
        "/quit                         leave (end of input does the same)",
        "plain output lines: you: (typed), bot:, suggestions:, agent:, handoff:, hub: (what the hub reports),",
        "ticket: (kind number; contact; time; note; queue), state:, var:, note:; errors and warnings go to stderr",
    ];

    /// <summary>A runtime error with its YAML place as the user would open it (<c>scenarios/x/flows/a.yaml(12,5): …</c>).</summary>
    public static string Describe(RuntimeError error, string? displayRoot)
    {
        if (error.Span.Line <= 0 || string.IsNullOrEmpty(displayRoot))
            return error.ToString();
        var span = error.Span with { File = Commands.ScenarioCompilation.Join(displayRoot, error.Span.File) };
        return $"{span}: {error.Message}";
    }

    /// <summary>An ask that took its value without being asked: <c>filled booking.date="2026-12-08" from this message ("12月8日")</c>.</summary>
    public static string Filled(FilledSlot slot, int turn) => slot.Source == SlotSource.Correction
        ? $"corrected {slot.Variable}={Value(slot.Value)} (\"{slot.Text}\")"
        : $"filled {slot.Variable}={Value(slot.Value)} from {(slot.Turn == turn ? "this message" : $"turn {slot.Turn}")} (\"{slot.Text}\")";

    public static string Value(JsonNode? node) => node is null ? "null" : node.ToJsonString(Json);

    /// <summary>One line for a handoff: queue, rule, within or out of hours, offered channels, shared context.</summary>
    public static string Handoff(HandoffDecision decision)
    {
        var parts = new List<string>
        {
            $"queue {decision.Queue}",
            $"rule {decision.RuleId}",
            !decision.WithinHours ? "OUT OF HOURS (no agent handoff)"
            : decision.Unattended ? "within hours; NO AGENT ONLINE (onTimeout, no agent handoff)"
            : "within hours",
        };
        if (!decision.Offer.IsDefaultOrEmpty)
            parts.Add("offer " + string.Join(", ", decision.Offer));
        if (!decision.Shared.IsDefaultOrEmpty)
            parts.Add("shared " + string.Join(", ", decision.Shared.Select(kv => kv.Key + "=" + Value(kv.Value))));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"transcript {decision.Transcript.Length} messages"));
        return string.Join("; ", parts);
    }

    /// <summary>The simulated hub's report on a waiting customer: <c>queue support: position 1, about 2 min, 1 agent online</c>.</summary>
    public static string Waiting(string queue, QueueStatus status) => string.Create(CultureInfo.InvariantCulture,
        $"queue {queue}: position {status.Position}, about {status.WaitMinutes} min, {status.AgentsOnline} {(status.AgentsOnline == 1 ? "agent" : "agents")} online; waiting for an agent");

    /// <summary>The plain <c>ticket:</c> line: kind and number, then contact, time, note and queue when the ticket has them.</summary>
    public static string Ticket(Ticket ticket)
    {
        var parts = new List<string> { $"{ticket.KindName} {ticket.Number}", "contact " + ticket.Contact };
        if (ticket.Time is { } time) parts.Add("time " + time);
        if (ticket.Note is { } note) parts.Add("note " + note);
        if (ticket.Queue is { } queue) parts.Add("queue " + queue);
        return string.Join("; ", parts);
    }

    /// <summary>A ticket as a person would say it: <c>CB-7K2Q9: call back 09012345678 (午前), queue support</c>.</summary>
    public static string TicketSentence(Ticket ticket)
    {
        var what = ticket.Kind switch
        {
            TicketKind.Callback => "call back " + ticket.Contact,
            TicketKind.Email => "e-mail " + ticket.Contact,
            _ => "contact " + ticket.Contact,
        };
        var text = $"{ticket.Number}: {what}";
        if (ticket.Time is { } time) text += $" ({time})";
        if (ticket.Queue is { } queue) text += ", queue " + queue;
        if (ticket.Note is { } note) text += " — " + note;
        return text;
    }

    /// <summary>The hub line for a return to the bot: <c>the agent returned the conversation to the bot into flow csat with feedback.topic="返品"</c>.</summary>
    public static string HandBack(string? flow, IReadOnlyDictionary<string, JsonNode?>? variables)
    {
        var text = "the agent returned the conversation to the bot";
        if (flow is not null) text += " into flow " + flow;
        if (variables is { Count: > 0 })
            text += " with " + string.Join(", ", variables.Select(kv => kv.Key + "=" + Value(kv.Value)));
        return text;
    }

    /// <summary>
    /// <c>/explain</c>'s lines in English or Japanese (<paramref name="language"/> "ja"): the input as typed and
    /// as matched, vocabulary applied, each top intent with its score and evidence, the settings and the decision.
    /// </summary>
    public static IReadOnlyList<(string Label, string Value)> Explanation(RecognitionExplanation e, string language)
    {
        var ja = language == "ja";
        var lines = new List<(string, string)>
        {
            (ja ? "入力" : "input", e.Input),
            (ja ? "正規化後" : "normalised", e.NormalizedInput),
            (ja ? "語彙の置換" : "vocabulary", e.VocabularyApplied.IsDefaultOrEmpty ? (ja ? "（なし）" : "(none)") : string.Join(", ", e.VocabularyApplied)),
        };
        if (!e.TyposCorrected.IsDefaultOrEmpty)
            lines.Add((ja ? "綴りの補正" : "typos", string.Join(", ", e.TyposCorrected)));
        if (!e.LexiconMatched.IsDefaultOrEmpty)
            lines.Add((ja ? "組み込み辞書" : "lexicon", string.Join(", ", e.LexiconMatched)));
        if (e.RuleGaveWay is { } rule)
            lines.Add((ja ? "ルールより例文" : "rule gave way", ja ? ScopeText.Japanese(rule) : ScopeText.English(rule)));
        if (e.Scope is { } scope)
            lines.Add((scope.OutOfScope ? (ja ? "対象外" : "out of scope") : (ja ? "対象範囲" : "scope"), ja ? ScopeText.Japanese(scope) : ScopeText.English(scope)));
        if (e.Top.IsDefaultOrEmpty)
            lines.Add((ja ? "候補" : "candidates", ja ? "（どのインテントにも一致しません）" : "(no intent matches at all)"));
        for (var i = 0; i < (e.Top.IsDefault ? 0 : e.Top.Length); i++)
        {
            var t = e.Top[i];
            var via = (t.Via, ja) switch
            {
                ("pattern", true) => "パターン",
                ("keyword", true) => "キーワード",
                ("example", true) => "例文",
                ("similar keyword", true) => "キーワードに類似",
                (var v, _) => v,
            };
            var evidence = t.Evidence is null ? "" : ja ? $"（{via}: {t.Evidence}）" : $" ({via}: {t.Evidence})";
            lines.Add((string.Create(CultureInfo.InvariantCulture, $"#{i + 1}"), string.Create(CultureInfo.InvariantCulture, $"{t.Intent} {t.Score:0.00}{evidence}")));
        }
        lines.Add((ja ? "しきい値" : "threshold", ja
            ? string.Create(CultureInfo.InvariantCulture, $"{e.Threshold:0.00}、曖昧さの幅 {e.AmbiguityMargin:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"{e.Threshold:0.00}, ambiguity margin {e.AmbiguityMargin:0.00}")));
        lines.Add((ja ? "判定" : "decision", Decision(e, ja)));
        return lines;
    }

    static string Decision(RecognitionExplanation e, bool ja)
    {
        if (e.Intent is { } intent)
            return ja ? string.Create(CultureInfo.InvariantCulture, $"{intent}（確信度 {e.Confidence:0.00}）")
                : string.Create(CultureInfo.InvariantCulture, $"{intent} (confidence {e.Confidence:0.00})");
        if (e.Ambiguous && e.Top.Length >= 2)
            return ja ? $"{e.Top[0].Intent} と {e.Top[1].Intent} が僅差のため、どちらのご用件か確認します"
                : $"ambiguous between {e.Top[0].Intent} and {e.Top[1].Intent}: the bot asks which one";
        if (e.OutOfScope is not null)
            return ja ? "フォールバック（シナリオが知らない言葉が多すぎるため、対象外と判断しました）"
                : "fallback: too much of the message is unknown to the scenario (out of scope)";
        return ja ? string.Create(CultureInfo.InvariantCulture, $"フォールバック（しきい値 {e.Threshold:0.00} に届いたインテントはありません）")
            : string.Create(CultureInfo.InvariantCulture, $"fallback: no intent reached the threshold {e.Threshold:0.00}");
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
