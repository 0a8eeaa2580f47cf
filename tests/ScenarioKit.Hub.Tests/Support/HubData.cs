using System.Collections.Immutable;
using System.Text.Json;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Tickets;

namespace ScenarioKit.Hub.Tests.Support;

/// <summary>Builders for hub records with Japanese and English text, so every test exercises both.</summary>
internal static class HubData
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static JsonElement Context(string stage = "checkout") =>
        JsonDocument.Parse($$"""{"rule":"asked-for-human","stage":"{{stage}}","shared":{"order.number":"12345678"},"note":"二重に請求されている"}""").RootElement.Clone();

    public static AgentCredentials Agent(string login, string displayName = "佐藤 花子", AgentRole role = AgentRole.Agent, string queues = "support", int maxChats = 3) =>
        new(new AgentAccount(login, displayName, role, [.. queues.Split(',', StringSplitOptions.RemoveEmptyEntries)], maxChats, false, "stamp-" + login, Start),
            "hash-" + login, 0, null);

    public static HandoffEntry Entry(string id, string conversationKey, string queue = "support", EntryStatus status = EntryStatus.Waiting, DateTimeOffset? waitingSince = null, string? userId = "user-1") =>
        new(id, conversationKey, "conv-" + conversationKey, "webchat", "retail-support", "1.0.0", userId, queue, "asked-for-human",
            "scenario.yaml(42,7)", "オペレーターと話したい", 0, "山田 太郎", "ja-JP", Context(), waitingSince ?? Start, status,
            Agent: null, OfferedUtc: null, AcceptedUtc: null, EndedUtc: status is EntryStatus.Waiting or EntryStatus.Offered or EntryStatus.Assigned ? null : Start.AddMinutes(5),
            waitingSince ?? Start, Outcome: null, Version: 1);

    public static HandoffRequest Request(string conversationKey, string queue = "support", int priority = 0, string locale = "ja-JP", string? userId = null) =>
        new(conversationKey, "conv-" + conversationKey, "webchat", "retail-support", "1.0.0", userId ?? "user-" + conversationKey, queue, "asked-for-human",
            "scenario.yaml(42,7)", "オペレーターと話したい", priority, "山田 太郎", locale, Context());

    public static Ticket Ticket(string number, string queue = "support", DateTimeOffset? created = null) =>
        new(number, "webchat/c1", "retail-support", "callback", "+81-3-1234-5678", "平日 18時以降", "折り返し希望", queue, Context(),
            created ?? Start, false, null, null, null);

    public static ImmutableArray<string> Queues(params string[] names) => [.. names];
}
