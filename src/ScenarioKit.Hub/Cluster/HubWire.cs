using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.Hub.Cluster;

/// <summary>A call forwarded to the leader: <see cref="Op"/> is the <see cref="IHubOperations"/> method, <see cref="Args"/> its arguments.</summary>
internal sealed record HubCommand(string Id, string From, string Op, JsonElement[] Args);

/// <summary>The leader's answer: the result, or the refusal as a <see cref="HubException"/> code and message.</summary>
internal sealed record HubReply(string Id, JsonElement? Result, string? Error, string? Message);

/// <summary>An <see cref="IHubNotifier"/> call relayed to every node; <see cref="From"/> delivered it to its own consoles already.</summary>
internal sealed record HubPush(string From, string Kind, JsonElement[] Args);

/// <summary>The console connections of one node, reported to the leader at every change and as a heartbeat.</summary>
public sealed record NodeConsoles(string Node, IReadOnlyList<NodeConsole> Consoles);

/// <summary>An agent with <see cref="Connections"/> open consoles on a node, and the status that node last heard for them.</summary>
public sealed record NodeConsole(Accounts.AgentAccount Account, int Connections, string? Status);

/// <summary>The JSON form of what crosses between nodes (the same build runs on every node).</summary>
internal static class HubWire
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    public static T Read<T>(JsonElement element) => element.Deserialize<T>(Options)!;

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
