using System.Text.Json;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Tickets;

namespace ScenarioKit.Server.Agent;

/// <summary>The console API's JSON shapes (docs/agent-hub.md, "Console API"), built from the hub's records.</summary>
internal static class AgentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static object Summary(HandoffEntry e, string? agentName) => new
    {
        id = e.Id,
        conversationKey = e.ConversationKey,
        conversationId = e.ConversationId,
        channelId = e.ChannelId,
        scenarioId = e.ScenarioId,
        scenarioVersion = e.ScenarioVersion,
        queue = e.Queue,
        status = JsonNamingPolicy.CamelCase.ConvertName(e.Status.ToString()),
        agent = e.Agent,
        agentName,
        ruleId = e.RuleId,
        ruleLocation = e.RuleLocation,
        reason = e.Reason,
        priority = e.Priority,
        customerName = e.CustomerName,
        locale = e.Locale,
        stage = HandoffRequests.Str(e.Context, "stage"),
        intent = HandoffRequests.Str(e.Context, "intent"),
        score = HandoffRequests.Number(e.Context, "confidence") ?? HandoffRequests.Number(e.Context, "score"),
        waitingSinceUtc = e.WaitingSinceUtc,
        offeredUtc = e.OfferedUtc,
        acceptedUtc = e.AcceptedUtc,
        endedUtc = e.EndedUtc,
        lastCustomerUtc = e.LastCustomerActivityUtc,
        outcome = e.Outcome,
    };

    public static object Line(TranscriptLine l) => new { seq = l.Seq, role = l.Role, name = l.Name, text = l.Text, atUtc = l.AtUtc };

    public static object Note(EntryNote n) => new { id = n.Id, author = n.Author, text = n.Text, whisper = n.Whisper, atUtc = n.AtUtc };

    public static object Ticket(Ticket t) => new
    {
        number = t.Number,
        conversationKey = t.ConversationKey,
        scenarioId = t.ScenarioId,
        kind = t.Kind,
        contact = t.Contact,
        preferredTime = t.PreferredTime,
        note = t.Note,
        queue = t.Queue,
        context = t.Context,
        createdUtc = t.CreatedUtc,
        closed = t.Closed,
        closedBy = t.ClosedBy,
        closedUtc = t.ClosedUtc,
        resolution = t.Resolution,
    };

    public static object Audit(AuditRecord a) => new
    {
        id = a.Id,
        atUtc = a.AtUtc,
        actor = a.Actor,
        action = a.Action,
        conversationKey = a.ConversationKey,
        entryId = a.EntryId,
        detail = a.Detail,
    };
}
