using ScenarioKit.Storage;

namespace ScenarioKit.Cli.Tests.Support;

/// <summary>A server database holding conversations on the reference scenario, written through the real SQLite store.</summary>
internal static class TurnLogDatabase
{
    /// <summary>Writes each conversation's turns (at <paramref name="at"/> plus one minute per turn) and returns the database path.</summary>
    public static async Task<string> WriteAsync(string directory, DateTimeOffset at, params (string Key, TurnSummary[] Turns)[] conversations)
    {
        var path = Path.Combine(directory, "scenariokit.db");
        await using var store = new SqliteConversationStore(path);
        await WriteAsync(store, at, conversations);
        return path;
    }

    /// <summary>Writes each conversation's turns into <paramref name="store"/> (SQLite or PostgreSQL), as above.</summary>
    public static async Task WriteAsync(IConversationStore store, DateTimeOffset at, params (string Key, TurnSummary[] Turns)[] conversations)
    {
        foreach (var (key, turns) in conversations)
        {
            for (var i = 0; i < turns.Length; i++)
            {
                var when = at.AddMinutes(i);
                var record = new ConversationRecord(key, key, "test", "reference-support", "1.0.0", "user-" + key, new byte[] { 1 },
                    i + 1, 0, true, false, at, when);
                await store.SaveAsync(new TurnWrite(record, i, [])
                {
                    Turn = new TurnLogEntry(key, i + 1, when, "reference-support", "1.0.0", turns[i].ToUtf8Json()),
                }, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>
    /// Four order-status conversations: one answered (ask, call, if, then, anything else, set), one retried and went quiet at
    /// the ask, one asked for a human at the ask, one went quiet at the ask at once.
    /// </summary>
    public static (string, TurnSummary[])[] ReferenceMix() =>
    [
        ("answered", [
            new() { Input = "message", Intent = "order_status", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" },
            new() { Input = "message", Steps = ["order_status/1", "order_status/2", "order_status/2/then/0", "order_status/3", "order_status/4"] },
        ]),
        ("retried", [
            new() { Input = "message", Intent = "order_status", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" },
            new() { Input = "message", Steps = ["order_status/0"], WaitingStep = "order_status/0" },
        ]),
        ("human", [
            new() { Input = "message", Intent = "order_status", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" },
            new() { Input = "message", Intent = "human", HandoffRule = "asked-for-human", HandoffQueue = "support", WaitingStep = "order_status/0" },
        ]),
        ("quiet", [
            new() { Input = "message", Intent = "order_status", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" },
        ]),
        ("greeted", [
            new() { Input = "message", Intent = "greeting", FlowsStarted = ["greeting"], Steps = ["greeting/0"] },
        ]),
    ];
}
